"""The project's files agree with each other: pins, URLs, chapter sources and their paired notebooks."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, version = line.partition("==")
        assert version, f"requirements.lock line is not an exact pin: {line!r}"
        pins[canonicalize_name(name)] = version
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def test_lock_satisfies_pyproject():
    pins = _lock()
    project = _pyproject()["project"]
    wanted = project["dependencies"] + [
        r for extra in ("cpu", "book", "test") for r in project["optional-dependencies"][extra]
    ]
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not pinned in requirements.lock")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} does not satisfy {requirement}")
    assert not problems, problems


def test_jupyter_book_is_pinned_below_2():
    assert _lock()["jupyter-book"].startswith("1.")


def test_environment_installs_from_the_lock_only():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-r requirements.lock", "-e ."]
    conda_names = [d.split("=")[0] for d in environment["dependencies"] if isinstance(d, str)]
    assert conda_names == ["python", "pip"]  # no second pin list


def test_installed_versions_match_the_lock():
    from importlib.metadata import version

    pins = _lock()
    for name in ("keras", "tensorflow-cpu", "numpy", "pandas", "matplotlib", "jupyter-book", "nbval"):
        assert version(name) == pins[name], name


def test_one_repository_url():
    url = _config()["repository"]["url"]
    assert _pyproject()["project"]["urls"]["Homepage"] == url
    for chapter in CHAPTERS:
        text = chapter.read_text()
        found = set(re.findall(r"git\+(https://[^\"' ]+)", text))
        assert found == {url}, f"{chapter.name}: setup cell installs from {found}, _config.yml says {url}"


def test_toc_lists_every_chapter_and_nothing_missing():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    sources = {f"chapters/{c.stem}" for c in CHAPTERS}
    assert sources <= files
    for name in files:
        assert (ROOT / f"{name}.md").exists(), name


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_structure(chapter):
    notebook = nbformat.read(chapter.with_suffix(".ipynb"), as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    setup = code[0]
    assert "remove-cell" in setup.metadata.get("tags", []), "first code cell must be the hidden setup cell"
    env_at = setup.source.index('os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL"')
    assert env_at < setup.source.index("import lossacc"), "TensorFlow variables must be set before importing"
    # setdefault, not assignment: the perturbation runs of `make test` set TF_ENABLE_ONEDNN_OPTS=1 from outside
    assert 'os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")' in setup.source
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert "lossacc.set_book_style()" in code[1].source, "the imports cell applies the book's figure style"
    # every code cell has been executed and stored, in order
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{chapter.name}: re-run `make outputs` to store fresh outputs"
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", f"{chapter.name}: stored error output"
            text = output.get("text", "")
            assert "Traceback" not in text and "ipykernel_" not in text


def test_paired_notebooks_in_sync(tmp_path):
    """jupytext --update of each .md must reproduce the committed .ipynb byte for byte."""
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copy(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    sources = [str(p.relative_to(ROOT)) for p in CHAPTERS]
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--quiet", "--to", "ipynb", "--update", *sources],
        cwd=tmp_path, check=True, capture_output=True,
    )
    stale = [p.name for p in CHAPTERS if (tmp_path / p.relative_to(ROOT)).with_suffix(".ipynb").read_bytes()
             != p.with_suffix(".ipynb").read_bytes()]
    assert not stale, f"out of sync with their .md (run `make outputs`): {stale}"


def test_public_api_is_documented_with_its_chapter():
    """Every public function and class has a docstring naming the chapter that explains it."""
    import inspect

    import lossacc

    chapters = {p.stem for p in CHAPTERS}
    missing = []
    for name in lossacc.__all__:
        obj = getattr(lossacc, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        found = re.findall(r":doc:`/chapters/(\w+)`", inspect.getdoc(obj) or "")
        if not found or not set(found) <= chapters:
            missing.append(name)
    assert not missing, f"public names without a chapter reference in their docstring: {missing}"


def test_api_page_lists_every_public_name():
    page = (ROOT / "appendix" / "api.md").read_text()
    import lossacc

    listed = set(re.findall(r"(?:auto(?:function|class|data)|py:data):: lossacc\.(\w+)", page))
    public = set(lossacc.__all__)
    assert public == listed, {"missing": public - listed, "extra": listed - public}


def _top_level_imports(path: Path) -> list[str]:
    import ast

    names = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted([*ROOT.glob("benchmarks/*.py"), *ROOT.glob("tools/*.py")]), ids=lambda p: p.name
)
def test_scripts_import_lossacc_before_keras(path):
    """lossacc sets the TensorFlow defaults (oneDNN off, quiet logs) only if it is imported before TensorFlow."""
    names = [name.split(".")[0] for name in _top_level_imports(path)]
    heavy = [i for i, name in enumerate(names) if name in ("keras", "tensorflow")]
    if heavy:
        assert "lossacc" in names[: heavy[0]], f"{path.name} imports {names[heavy[0]]} before lossacc"

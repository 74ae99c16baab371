"""The package's layout: one folder per job, one public face, and the Keras-free parts stay Keras-free."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import lossacc

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lossacc"

#: The jobs, and where each lives: a folder (private implementation modules behind an ``__init__``) or a module.
JOBS = {
    "training": "models, the seeded fit wrapper, many runs at once, full batch, frozen heads, LR finder",
    "watch": "callbacks that record under the curve, and the live Monitor",
    "analyze": "Keras-free reading of curves and outputs: correctness, stalls, dips, noise, plateaus",
    "diagnosis": "findings: the shared detectors, diagnose(), check_model()",
    "logs": "the log reader",
    "plots.py": "every matplotlib figure",
    "film.py": "the probability film (HTML)",
    "data.py": "the data sets",
    "metrics.py": "metrics to compile or compute",
    "book.py": "glue for the book",
    "cli.py": "the command line: parse and dispatch",
}
PRIVATE = {"__init__.py", "__init__.pyi", "__main__.py", "_env.py", "_validation.py", "_deprecation.py", "__pycache__"}


def test_top_level_holds_only_the_jobs():
    found = {p.name for p in PACKAGE.iterdir()} - PRIVATE
    assert found == set(JOBS), {"unexpected": found - set(JOBS), "missing": set(JOBS) - found}
    for folder in (name for name in JOBS if not name.endswith(".py")):
        modules = {p.name for p in (PACKAGE / folder).glob("*.py")} - {"__init__.py"}
        assert modules and all(name.startswith("_") for name in modules), f"{folder}: {modules}"


def test_every_public_name_resolves_to_its_face():
    assert sorted(lossacc.__all__) == sorted(lossacc._EXPORTS)
    for name, module in lossacc._EXPORTS.items():
        face = module.split(".")[1]
        assert face in JOBS or f"{face}.py" in JOBS, f"{name} is exported from {module}, not from a job's face"
        assert not any(part.startswith("_") for part in module.split(".")[1:]), f"{name}: private module {module}"
        assert getattr(lossacc, name) is getattr(__import__(module, fromlist=[name]), name)


def test_the_stub_spells_out_the_facade_for_editors():
    tree = ast.parse((PACKAGE / "__init__.pyi").read_text())
    stub = {
        alias.asname: node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module != "lossacc"
        for alias in node.names
    }
    assert stub == lossacc._EXPORTS, "run: python tools/write_facade_stub.py"


def test_diagnose_is_the_function_and_diagnosis_the_package():
    import lossacc.diagnosis

    assert callable(lossacc.diagnose) and lossacc.diagnose is lossacc.diagnosis.diagnose


def test_import_lossacc_diagnose_is_the_package_and_keeps_the_function():
    code = (
        "import sys, lossacc.diagnose\n"
        "loaded = sorted(m for m in ('keras', 'tensorflow', 'lossacc.diagnosis') if m in sys.modules)\n"
        "from lossacc.diagnose import Thresholds, diagnose\n"
        "import lossacc.diagnosis\n"
        "print(loaded, callable(lossacc.diagnose) and lossacc.diagnose is diagnose,\n"
        "      Thresholds is lossacc.diagnosis.Thresholds, 'keras' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["[]", "True", "True", "False"]


@pytest.mark.parametrize(
    "statement",
    [
        "import lossacc",  # fast: the facade loads names on first use
        "import lossacc.analyze, lossacc.logs, lossacc.diagnosis, lossacc.plots, lossacc.film",
        "import lossacc.diagnose; from lossacc.diagnose import diagnose, detect, Thresholds",
        "import lossacc; lossacc.diagnose({'loss': [0.7, 0.6], 'accuracy': [0.5, 0.6]}); lossacc.read_keras_log",
    ],
)
def test_reading_and_diagnosing_never_load_keras(statement):
    code = f"{statement}\nimport sys; print(sorted(m for m in ('keras', 'tensorflow') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_import_lossacc_loads_neither_pandas_nor_matplotlib():
    code = "import lossacc, sys; print([m for m in ('pandas', 'matplotlib', 'keras') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr[-2000:]

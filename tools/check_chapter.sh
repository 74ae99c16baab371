#!/usr/bin/env bash
# Check stored chapter outputs the way `make test` does: nbval as recorded, then under each perturbation of
# float arithmetic that stands in for "another reader's CPU" (see tools/perturbations.env).
# Usage: tools/check_chapter.sh chapters/NAME.ipynb [more.ipynb ...]
set -uo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
status=0
run() {  # run LABEL [VAR=value ...]
    local label=$1; shift
    echo "== nbval: $label"
    env "$@" "$py" -m pytest --nbval --nbval-current-env --nbval-cell-timeout=300 \
        --nbval-sanitize-with=tests/nbval_sanitize.cfg -q -p no:cacheprovider -o addopts="" "${NOTEBOOKS[@]}" \
        | tail -n 15 || status=1
}
NOTEBOOKS=("$@")
[[ "${PERTURBED_ONLY:-0}" == 1 ]] || run "as recorded"
while IFS='|' read -r label vars; do
    [[ -z "$label" || "$label" == \#* ]] && continue
    # shellcheck disable=SC2086
    run "$label" $vars
done < tools/perturbations.env
exit $status

#!/usr/bin/env bash
# Check stored chapter outputs the way `make test` does: nbval as recorded, then under each perturbation of
# float arithmetic in tools/perturbations.env (the stand-in for "another reader's CPU").
# Usage: tools/check_chapter.sh chapters/NAME.ipynb [more.ipynb ...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: tools/check_chapter.sh chapters/NAME.ipynb [...]" >&2; exit 2; }
exec make --no-print-directory nbval perturb NOTEBOOKS="$*"

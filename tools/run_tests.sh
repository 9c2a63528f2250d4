#!/usr/bin/env bash
# Run every test of the course:
#   1. unit tests of course_utils, with a coverage report;
#   2. nbval over every lesson notebook (each must execute without error);
#   3. the website build with warnings as errors, then checks of the built pages.
# Any failure fails the command. COURSE_DATA_MIRROR may name an offline copy of the data.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure_env.sh || exit 1
export PATH="$PWD/.venv/bin:$PATH"
export MPLBACKEND=Agg
export PYTHONHASHSEED=0
mkdir -p _build/reports

status=0
step() {
    echo
    echo "=== $1"
}

step "1/3 unit tests of course_utils (with coverage)"
.venv/bin/python -m pytest tests -m "not book" \
    --cov=course_utils --cov-report=term-missing --cov-fail-under=90 \
    --doctest-modules course_utils || status=1

step "2/3 nbval: every lesson notebook executes"
.venv/bin/python -m pytest --nbval-lax notebooks \
    --durations=0 --junitxml=_build/reports/nbval.xml || status=1

step "3/3 website build (warnings are errors) and checks of the built pages"
if .venv/bin/jupyter-book build . --warningiserror --keep-going; then
    .venv/bin/python -m pytest tests -m book || status=1
else
    status=1
fi

echo
if [ "$status" -eq 0 ]; then echo "All course tests passed."; else echo "Some course tests FAILED."; fi
exit "$status"

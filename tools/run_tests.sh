#!/usr/bin/env bash
# Run every test of the course. Any failure fails the command.
#   1. unit tests of course_utils (coverage at least 90 %), repository consistency checks
#      and the exercise format (student stubs fail their checks);
#   2. nbval over every lesson notebook, measuring each one's run time and peak memory,
#      then the run-time budget table (_build/reports/runtime.md);
#   3. reproducibility: the two fastest lessons run twice give the same figures;
#   4. the website build with warnings as errors, then checks of the built pages
#      (no log noise, badges, plots, hidden solutions, internal links);
#   5. Colab parity: nbval again in an environment pinned to Google Colab's versions,
#      with each notebook's Colab install cell run from the local checkout
#      (tools/colab_parity.sh; skip with COURSE_SKIP_COLAB=1).
# COURSE_DATA_MIRROR may name an offline copy of the downloadable data sets.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure_env.sh || exit 1
export PATH="$PWD/.venv/bin:$PATH"
export PYTHONHASHSEED=0
export PYTHONPATH="$PWD/tools${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p _build/reports
started=$SECONDS
failed=()

step() {
    echo
    echo "=== $1  (at $((SECONDS - started)) s)"
}

step "1/5 unit tests of course_utils, consistency and exercise-format tests"
.venv/bin/python -m pytest tests -m "not book and not repro" \
    --cov=course_utils --cov-report=term-missing --cov-fail-under=90 \
    --doctest-modules course_utils || failed+=("unit tests")

step "2/5 nbval: every lesson notebook executes (with run-time budget)"
.venv/bin/python -m pytest --nbval-lax notebooks -p budget_plugin \
    --durations=5 || failed+=("nbval")
.venv/bin/python tools/budget.py || failed+=("run-time budget")

step "3/5 reproducibility: the two fastest lessons, run twice"
.venv/bin/python -m pytest tests -m repro || failed+=("reproducibility")

step "4/5 website build (warnings are errors) and checks of the built pages"
if .venv/bin/jupyter-book build . --warningiserror --keep-going; then
    .venv/bin/python -m pytest tests -m book || failed+=("built pages")
else
    failed+=("website build")
fi

if [ "${COURSE_SKIP_COLAB:-0}" = "1" ]; then
    step "5/5 Colab parity: skipped (COURSE_SKIP_COLAB=1)"
else
    step "5/5 Colab parity: nbval with Google Colab's package versions"
    bash tools/colab_parity.sh || failed+=("Colab parity")
fi

echo
echo "Finished in $((SECONDS - started)) s."
if [ "${#failed[@]}" -eq 0 ]; then
    echo "All course tests passed."
    exit 0
fi
echo "FAILED: ${failed[*]}"
exit 1

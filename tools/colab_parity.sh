#!/usr/bin/env bash
# Colab parity and the student notebooks: nbval over each lesson's verification notebook
# in an environment pinned to Google Colab's package versions (requirements/colab.txt,
# Python 3.13), with the lesson's Colab-only install cell switched on (COURSE_FORCE_COLAB=1)
# and installing course_utils from this checkout instead of the network.
# A verification notebook (python -m course_utils.instructor notebooks --verification) is the lesson's
# English Colab edition (notebooks/colab/en/: what students run in Colab, without the claim
# and wrong-answer cells, so a dropped cell that a later one needs fails here), then its
# exercises as the student notebook has them (every check must say "not answered yet"),
# then the source lesson's Exercises section with the solutions put back (every check and
# every wrong answer's rejection must pass), in one kernel: the one execution of each
# lesson in this environment. (The claim cells run in the locked environment's execution of
# the source lessons, the website's.) Each one's wall time, CPU time and peak memory go to
# _build/reports/runtime-colab.json for tools/budget.py.
#
#   tools/colab_parity.sh              every lesson
#   tools/colab_parity.sh 03 08        the lessons whose names start so
#
# The environment lives in .venv-colab/ (tools/ensure_env.sh colab).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure_env.sh colab

editions=notebooks/colab/en
lessons=()
for prefix in "$@"; do
    matches=("$editions/$prefix"*.ipynb)
    if ! [ -e "${matches[0]}" ]; then
        echo "error: no lesson starts with '$prefix'" >&2
        exit 2
    fi
    lessons+=("${matches[@]}")
done
[ "${#lessons[@]}" -gt 0 ] || lessons=("$editions"/*.ipynb)

runs=_build/exercise-runs
rm -rf "$runs/verification"
.venv/bin/python -m course_utils.instructor notebooks --verification --sources notebooks \
    --output "$runs" "${lessons[@]}" >/dev/null

.venv-colab/bin/python - <<'PY'
import sys, importlib.metadata as m
print("Colab-parity environment: Python %d.%d," % sys.version_info[:2],
      ", ".join(f"{p} {m.version(p)}" for p in ["tensorflow", "keras", "scikit-learn", "numpy"]))
PY

# The install cell must install course_utils itself: start without it.
.venv-tools/bin/uv pip uninstall --quiet --python .venv-colab/bin/python course-utils 2>/dev/null || true
export COURSE_FORCE_COLAB=1
export COURSE_PACKAGE_SOURCE="file://$PWD"
export PYDEVD_DISABLE_FILE_VALIDATION=1
export PYTHONPATH="$PWD/tools"
export COURSE_RUNTIME_REPORT="$PWD/_build/reports/runtime-colab.json"
export COURSE_RUNTIME_ENVIRONMENT=colab
mkdir -p _build/reports
# Run from outside the package's folder so that the notebooks import the installed
# course_utils, not the checkout's.
cd "$runs/verification"
"$OLDPWD/.venv-colab/bin/python" -m pytest --nbval-lax . -p budget_plugin \
    --rootdir . -c /dev/null -o cache_dir="$OLDPWD/_build/.pytest_cache-colab" -q

#!/usr/bin/env bash
# Colab parity: run every notebook under nbval in an environment pinned to Google Colab's
# package versions (requirements/colab.txt, Python 3.13), with each notebook's Colab-only
# install cell switched on (COURSE_FORCE_COLAB=1) and installing course_utils from this
# checkout instead of the network. The environment lives in .venv-colab/ and is reused
# while requirements/colab.txt and pyproject.toml are unchanged.
# COLAB_PYTHON=/path/to/python3.13 picks the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    if [ -n "${COLAB_PYTHON:-}" ]; then echo "$COLAB_PYTHON"; return; fi
    if command -v python3.13 >/dev/null 2>&1 && python3.13 --version >/dev/null 2>&1; then
        command -v python3.13; return
    fi
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13; do
        if [ -x "$candidate" ]; then echo "$candidate"; return; fi
    done
}
python=$(find_python)
if [ -z "$python" ]; then
    echo "error: Colab parity needs Python 3.13 (Colab's version); none was found." >&2
    echo "Install it (for example with pyenv) or set COLAB_PYTHON to its path." >&2
    exit 1
fi

stamp=.venv-colab/.course-env
wanted=$(cat requirements/colab.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if ! [ -x .venv-colab/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Setting up the Colab-parity environment in .venv-colab/ with $("$python" --version)..."
    rm -rf .venv-colab
    "$python" -m venv .venv-colab
    .venv-colab/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv-colab/bin/python -m pip install --quiet --disable-pip-version-check --prefer-binary -r requirements/colab.txt
    echo "$wanted" > "$stamp"
fi
.venv-colab/bin/python - <<'PY'
import sys, importlib.metadata as m
print("Colab-parity environment: Python %d.%d," % sys.version_info[:2],
      ", ".join(f"{p} {m.version(p)}" for p in ["tensorflow", "keras", "scikit-learn", "numpy"]))
PY

# The install cell must install course_utils itself: start without it.
.venv-colab/bin/python -m pip uninstall --quiet --yes course-utils 2>/dev/null || true
export COURSE_FORCE_COLAB=1
export COURSE_PACKAGE_SOURCE="file://$PWD"
export PYDEVD_DISABLE_FILE_VALIDATION=1
export PYTHONPATH="$PWD/tools"
export COURSE_RUNTIME_REPORT="$PWD/_build/reports/runtime-colab.json"
# Run from outside the checkout so that the notebooks import the installed course_utils.
cd notebooks
../.venv-colab/bin/python -m pytest --nbval-lax . -p budget_plugin -p no:cacheprovider \
    --rootdir . -o addopts="" -q

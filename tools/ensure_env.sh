#!/usr/bin/env bash
# Create the course environment in .venv/ (or reuse it when requirements/lock.txt and
# pyproject.toml have not changed since it was made). Needs Python 3.11 or newer and pip.
# PYTHON=/path/to/python3.x picks the interpreter (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "error: the course needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1 || echo missing)." >&2
    echo "Set PYTHON to a newer interpreter, for example PYTHON=python3.11." >&2
    exit 1
fi

stamp=.venv/.course-env
wanted=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    exit 0
fi

echo "Setting up the course environment in .venv/ (a few minutes the first time)..."
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
echo "$wanted" > "$stamp"
echo "Course environment ready: .venv/"

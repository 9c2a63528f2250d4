#!/usr/bin/env bash
# Make a virtual environment match a lock file exactly (uv pip sync: missing packages are
# installed, packages not in the lock are removed, every download is checked against the
# lock's hashes), and reuse it while nothing has changed.
#
#   tools/ensure_env.sh              .venv/ from requirements/lock.txt, course_utils editable
#   tools/ensure_env.sh colab        .venv-colab/ from requirements/colab.txt (Python 3.13),
#                                    without course_utils (the lessons' install cell adds it)
#
# PYTHON (default python3, at least 3.11) and COLAB_PYTHON (default: a python3.13 on PATH or
# under pyenv) pick the interpreters. The tool uv itself is installed, at the version in
# requirements/uv.txt, into .venv-tools/ with the interpreter's own pip.
# The environment is rebuilt from scratch when its interpreter's path or version changed.
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-locked}
case "$kind" in
    locked) venv=.venv; lock=requirements/lock.txt; python=${PYTHON:-python3}; minimum=3.11 ;;
    colab) venv=.venv-colab; lock=requirements/colab.txt; minimum=3.13
        python=${COLAB_PYTHON:-}
        if [ -z "$python" ]; then
            if command -v python3.13 >/dev/null 2>&1 && python3.13 --version >/dev/null 2>&1; then
                python=$(command -v python3.13)
            else
                for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13; do
                    [ -x "$candidate" ] && python=$candidate && break
                done
            fi
        fi
        if [ -z "$python" ]; then
            echo "error: the Colab-parity environment needs Python 3.13 (Colab's version), and" >&2
            echo "none was found on PATH or under pyenv. Install it (for example" >&2
            echo "'pyenv install 3.13') or set COLAB_PYTHON to its path." >&2
            exit 3
        fi ;;
    *) echo "error: unknown environment '$kind' (expected 'locked' or 'colab')" >&2; exit 2 ;;
esac

if ! python=$(command -v "$python"); then
    echo "error: no interpreter '$python' was found; set PYTHON to one (Python $minimum or newer)." >&2
    exit 1
fi
version=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo none)
if ! "$python" -c "import sys; sys.exit(0 if sys.version_info >= tuple(map(int, '$minimum'.split('.'))) else 1)" 2>/dev/null; then
    echo "error: the $kind environment needs Python $minimum or newer; '$python' is $version." >&2
    echo "Set PYTHON (or COLAB_PYTHON for Colab parity) to a suitable interpreter." >&2
    exit 1
fi

# uv, pinned, in a small environment of its own.
uv=.venv-tools/bin/uv
if ! [ -x "$uv" ] || [ "$("$uv" --version 2>/dev/null | cut -d' ' -f2)" != "$(sed -n 's/^uv==//p' requirements/uv.txt)" ]; then
    echo "Installing uv ($(grep '^uv==' requirements/uv.txt)) into .venv-tools/ ..."
    rm -rf .venv-tools
    python3 -m venv .venv-tools
    .venv-tools/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/uv.txt
fi

stamp="$venv/.course-env"
wanted=$(printf '%s %s\n' "$python" "$version" | cat - "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    exit 0
fi
interpreter="$python $version"
if [ -d "$venv" ] && [ "$(cat "$venv/.course-python" 2>/dev/null)" != "$interpreter" ]; then
    echo "The interpreter changed (now $interpreter): rebuilding $venv/ from scratch."
    rm -rf "$venv"
fi
echo "Syncing $venv/ with $lock (Python $version; a few minutes the first time)..."
if ! [ -x "$venv/bin/python" ]; then
    "$uv" venv --quiet --python "$python" "$venv"
    echo "$interpreter" > "$venv/.course-python"
fi
export UV_NO_CONFIG=1 UV_LINK_MODE=copy
"$uv" pip sync --quiet --python "$venv/bin/python" --require-hashes "$lock"
if [ "$kind" = locked ]; then
    "$uv" pip install --quiet --python "$venv/bin/python" --no-deps -e .
fi
echo "$wanted" > "$stamp"
echo "Environment ready: $venv/ ($("$venv/bin/python" --version))"

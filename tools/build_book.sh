#!/usr/bin/env bash
# Build the course website with executed notebooks into _build/html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure_env.sh
export PATH="$PWD/.venv/bin:$PATH"
.venv/bin/jupyter-book build . --warningiserror --keep-going
echo
echo "Website built. Open $PWD/_build/html/index.html in a browser."

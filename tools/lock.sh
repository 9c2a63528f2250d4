#!/usr/bin/env bash
# Re-resolve the course's pinned environments after a change of pyproject.toml or of
# requirements/colab.in, with uv (installed by tools/ensure_env.sh):
#   requirements/lock.txt   pyproject.toml's dependencies and its "dev" extra, for Python 3.11+
#                           on any platform (environment markers), with hashes
#   requirements/colab.txt  the same dependencies under Colab's pins (requirements/colab.in),
#                           for Python 3.13 on Linux x86-64, with hashes
#   environment.yml         the conda environment, its pip section written from lock.txt
# Existing pins are kept where they still fit; `bash tools/lock.sh --upgrade` takes the newest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure_env.sh locked >/dev/null
uv=.venv-tools/bin/uv
export UV_NO_CONFIG=1 UV_CUSTOM_COMPILE_COMMAND="bash tools/lock.sh"
common=(--generate-hashes --quiet "$@")
"$uv" pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
    "${common[@]}" -o requirements/lock.txt
"$uv" pip compile pyproject.toml requirements/colab.in --python-version 3.13 \
    --python-platform x86_64-manylinux_2_28 "${common[@]}" -o requirements/colab.txt
.venv/bin/python tools/environment_yml.py --write
echo "Wrote requirements/lock.txt, requirements/colab.txt and environment.yml."

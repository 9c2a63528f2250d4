#!/usr/bin/env bash
# Build the course website into _build/html, and its Korean edition into _build/html/ko.
# Each lesson not yet in the execution cache (or changed since, or run with other helpers)
# is executed once by tools/execute.py; both builds then take every lesson's outputs from
# the cache. The Korean text comes from locales/ko/LC_MESSAGES (tools/translations.py).
# The site serves MathJax itself: the npm package pinned in book/_ext/package-lock.json,
# installed there with npm ci (needs Node.js 18+ with npm).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure_env.sh locked
bash tools/ensure_npm.sh book/_ext
export PATH="$PWD/.venv/bin:$PATH"
export PYTHONHASHSEED=0
.venv/bin/python tools/execute.py --jobs "${COURSE_JOBS:-2}"
.venv/bin/jupyter-book build . --warningiserror --keep-going
.venv/bin/python tools/translations.py build
echo
echo "Website built. Open $PWD/_build/html/index.html in a browser (the Korean edition:"
echo "$PWD/_build/html/ko/index.html)."

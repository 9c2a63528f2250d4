#!/usr/bin/env bash
# Install a folder's npm packages exactly as its package-lock.json pins them (npm ci, every
# download checked against the lock's integrity hashes), and reuse them while the lock file
# is unchanged.
#
#   tools/ensure_npm.sh book/_ext     MathJax, which the website serves (course_site.py)
#   tools/ensure_npm.sh tools/a11y    axe-core and playwright-core, for tools/a11y/run.sh
#
# Needs Node.js 18 or newer with npm. Exit status 3 when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

folder=${1:?usage: tools/ensure_npm.sh FOLDER (one with a package-lock.json)}
if ! [ -f "$folder/package-lock.json" ]; then
    echo "error: $folder has no package-lock.json" >&2
    exit 2
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "error: $folder needs Node.js 18 or newer with npm (https://nodejs.org, or the" >&2
    echo "Debian packages nodejs and npm), and neither 'node' nor 'npm' was found." >&2
    exit 3
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
    echo "error: $folder needs Node.js 18 or newer; this is $(node --version)." >&2
    exit 3
fi
stamp="$folder/node_modules/.course-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$folder/package-lock.json"; then
    exit 0
fi
echo "Installing the npm packages of $folder (npm ci) ..."
(cd "$folder" && npm ci --no-audit --no-fund --loglevel=error)
cp "$folder/package-lock.json" "$stamp"

#!/usr/bin/env bash
# Accessibility and offline check of the built website (both editions, light and dark):
# axe-core's WCAG 2 A and AA rules on every page in headless Chromium with the network off,
# console errors and failed requests recorded (tools/a11y/check.mjs). The report goes to
# _build/reports/a11y.md and a11y.json.
#
# Needs the Debian package chromium (or CHROMIUM=/path/to/chrome) and Node.js 18+ with npm;
# axe-core and playwright-core are installed from the lock file with npm ci
# (tools/ensure_npm.sh), and no tool downloads a browser of its own.
# Exit status: 0 passed, 1 failed; 3 skipped (no Chromium or no Node.js on a maintainer's
# machine). With CI=true a missing Chromium or Node.js fails (.ci/run installs them).
# Options are passed to check.mjs (e.g. --only notebooks/09 --screenshots DIR --width 390).
set -uo pipefail
cd "$(dirname "$0")/../.."

missing() {  # missing WHAT HOW
    if [ "${CI:-}" = true ]; then
        echo "!!! ACCESSIBILITY CHECK FAILED: $1 is not installed, and CI must run this check." >&2
        echo "!!! $2 (.ci/run installs what is missing: see its output above.)" >&2
        exit 1
    fi
    echo "!!! ACCESSIBILITY CHECK SKIPPED: $1 is not installed. $2"
    exit 3
}

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    for candidate in chromium chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then
            chromium=$(command -v "$candidate")
            break
        fi
    done
fi
if [ -z "$chromium" ] || ! [ -x "$chromium" ]; then
    missing "Chromium" "Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM."
fi
if ! command -v node >/dev/null 2>&1; then
    missing "Node.js" "Install Node.js 18 or newer with npm."
fi
bash tools/ensure_npm.sh tools/a11y || exit 1
exec node tools/a11y/check.mjs --chromium "$chromium" "$@"

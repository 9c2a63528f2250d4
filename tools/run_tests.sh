#!/usr/bin/env bash
# Run the course's tests. Any failure fails the command. With no option, every step:
#   1. unit tests of course_utils (coverage at least 90 %; two workers), repository
#      consistency checks, the grader's tests (sandboxes, tampering, Gradescope),
#      the exercise format and the test tools' own tests;
#   2. the lessons, each executed once per environment, both environments side by side:
#      - locked environment (.venv/): tools/execute.py runs every lesson into the website's
#        execution cache (the website is built from these outputs);
#      - Colab-pinned environment (.venv-colab/, Python 3.13): nbval over each lesson's
#        verification notebook (the lesson's English Colab edition, then its exercises as
#        the student notebook has them, every check "not answered yet", then with the
#        solutions, every check passing and every wrong answer rejected), with the Colab
#        install cell installing course_utils from this checkout;
#      then the run-time report and budget (tools/budget.py, _build/reports/runtime.md),
#      judged on CPU time scaled by a reference workload, never on wall time;
#   3. the website build with warnings as errors from the cached outputs (it must execute
#      nothing); the Korean edition: its catalogues complete (no untranslated or fuzzy
#      entry) and current with the English sources, the Colab editions (English and
#      Korean, notebooks/colab/) current, and the Korean
#      website built the same way into _build/html/ko; then checks of the built pages of
#      both editions: the page checks (pytest -m book), and the accessibility and offline
#      check (tools/a11y/run.sh: axe-core's WCAG 2 A and AA rules on every page of both
#      editions in light and dark mode in headless Chromium with the network off, no console
#      error, no failed request; skipped with a loud message where Chromium is missing,
#      failed when CI=true); beside it, reproducibility: the cheapest lesson run again
#      must print what the website shows.
#
# Options pick parts (they combine):
#   --unit            alone: the unit tests not marked slow, on two workers (under 30 s);
#                     with other options: all of step 1
#   --lesson PREFIX   execute one lesson (repeatable; e.g. --lesson 03) in the locked
#                     environment, and in the Colab one too with --colab
#   --lessons         step 2 (both environments, with --colab or not as below)
#   --book            step 3's builds (English and Korean), page checks and accessibility
#                     check (executes lessons not yet cached)
#   --repro           step 3's reproducibility check
#   --colab           Colab parity (all lessons, or the --lesson ones)
#   --no-colab        leave Colab parity out (refused when CI=true)
# COURSE_DATA_MIRROR may name an offline copy of the downloadable data sets.
set -uo pipefail
cd "$(dirname "$0")/.."

unit=0 lessons=0 book=0 repro=0 colab=0 no_colab=0 picked=0
prefixes=()
while [ $# -gt 0 ]; do
    case "$1" in
        --unit) unit=1 picked=1 ;;
        --lessons) lessons=1 picked=1 ;;
        --lesson) [ $# -ge 2 ] || { echo "error: --lesson needs a lesson prefix, e.g. --lesson 03" >&2; exit 2; }
            prefixes+=("$2") lessons=1 picked=1; shift ;;
        --book) book=1 picked=1 ;;
        --repro) repro=1 picked=1 ;;
        --colab) colab=1 picked=1 ;;
        --no-colab) no_colab=1 ;;
        -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ "$picked" = 0 ]; then
    unit=1 lessons=1 book=1 repro=1 colab=1
fi
if [ "$lessons" = 1 ] && [ "${#prefixes[@]}" = 0 ] && [ "$picked" = 1 ] && [ "$no_colab" = 0 ]; then
    colab=1  # --lessons means both environments
fi
if [ "$no_colab" = 1 ] || [ "${COURSE_SKIP_COLAB:-0}" = 1 ]; then
    if [ "${CI:-}" = true ]; then
        echo "error: CI never skips Colab parity (--no-colab or COURSE_SKIP_COLAB=1 given)" >&2
        exit 2
    fi
    colab=0
fi

bash tools/ensure_env.sh locked || exit 1
export PATH="$PWD/.venv/bin:$PATH"
export PYTHONHASHSEED=0
export PYTHONPATH="$PWD/tools${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p _build/reports _build/logs
started=$SECONDS
failed=()
timings=()

step() {
    echo
    echo "=== $1  (at $((SECONDS - started)) s)"
}
took() {  # took NAME START
    timings+=("$(printf '%-44s %5d s' "$1" $((SECONDS - $2)))")
}

# The Colab environment is prepared in the background while the unit tests run.
colab_env_pid=
if [ "$colab" = 1 ]; then
    bash tools/ensure_env.sh colab > _build/logs/colab-env.log 2>&1 &
    colab_env_pid=$!
fi

if [ "$unit" = 1 ] && [ "$picked" = 1 ] && [ "$lessons$book$repro$colab" = 0000 ]; then
    # The maintainer's quick loop: everything but the tests that start kernels, two at a time.
    step "unit tests (quick: no tests marked slow)"
    t=$SECONDS
    .venv/bin/python -m pytest tests -m "not book and not repro and not slow" -n 2 -q \
        --doctest-modules course_utils tools/budget.py tools/reference.py tools/seeds.py \
        tools/translations.py tools/colab_editions.py tools/messages.py book/_ext/course_i18n.py \
        book/_ext/course_site.py \
        || failed+=("unit tests")
    took "unit tests (quick)" "$t"
elif [ "$unit" = 1 ]; then
    step "1/3 unit tests of course_utils, consistency, exercise format, test tools"
    t=$SECONDS
    # Two workers, one test file each at a time: the grader's tests wait on kernels and
    # sandboxes more than they compute, and a file's shared grading run happens once.
    .venv/bin/python -m pytest tests -m "not book and not repro" -n 2 --dist loadfile \
        --cov=course_utils --cov-report=term-missing:skip-covered --cov-fail-under=90 \
        --doctest-modules course_utils tools/budget.py tools/reference.py tools/seeds.py \
        tools/translations.py tools/colab_editions.py tools/messages.py book/_ext/course_i18n.py \
        book/_ext/course_site.py \
        || failed+=("unit tests")
    took "unit tests" "$t"
fi

colab_state=off
a11y_state=run
if [ -n "$colab_env_pid" ]; then
    wait "$colab_env_pid"
    status=$?
    cat _build/logs/colab-env.log
    if [ "$status" = 3 ]; then
        colab_state=skipped
        echo
        echo "!!! COLAB PARITY SKIPPED: no Python 3.13 on this machine (see the message above)."
        echo "!!! The lessons were not run under Colab's package versions."
        [ "${CI:-}" = true ] && failed+=("Colab parity (no Python 3.13)")
    elif [ "$status" != 0 ]; then
        colab_state=failed
        failed+=("Colab-parity environment")
    else
        colab_state=ready
    fi
fi

reports=()
if [ "$lessons" = 1 ] || [ "$colab_state" = ready ]; then
    step "2/3 lessons: locked environment (execution cache) and Colab parity (nbval), side by side"
    t=$SECONDS
    colab_pid=
    if [ "$colab_state" = ready ]; then
        bash tools/colab_parity.sh "${prefixes[@]}" > _build/logs/colab-parity.log 2>&1 &
        colab_pid=$!
    fi
    if [ "$lessons" = 1 ]; then
        force=()
        [ "${#prefixes[@]}" -gt 0 ] && force=(--force)
        .venv/bin/python tools/execute.py "${force[@]}" "${prefixes[@]}" \
            || failed+=("lessons (locked environment)")
        reports+=(_build/reports/runtime-locked.json)
    fi
    if [ -n "$colab_pid" ]; then
        wait "$colab_pid" || failed+=("Colab parity")
        echo
        echo "--- Colab parity (nbval under Colab's versions):"
        grep -v "Kernel is running over TCP without encryption" _build/logs/colab-parity.log
        reports+=(_build/reports/runtime-colab.json)
    fi
    took "lessons, both environments" "$t"
    if [ "${#prefixes[@]}" = 0 ] && [ "${#reports[@]}" -gt 0 ]; then
        echo
        .venv/bin/python tools/budget.py "${reports[@]}" || failed+=("run-time budget")
    fi
fi

if [ "$book" = 1 ] || [ "$repro" = 1 ]; then
    step "3/3 website from the cached executions, page checks, and reproducibility beside it"
    t=$SECONDS
    repro_pid=
    if [ "$repro" = 1 ]; then
        .venv/bin/python -m pytest tests -m repro -q > _build/logs/repro.log 2>&1 &
        repro_pid=$!
    fi
    if [ "$book" = 1 ]; then
        # Only lessons not yet cached run here (none after step 2); a failure shows below.
        .venv/bin/python tools/execute.py || true
        built=1
        # MathJax, which the website serves (book/_ext/package-lock.json).
        bash tools/ensure_npm.sh book/_ext || failed+=("website assets (npm ci in book/_ext)")
        if .venv/bin/jupyter-book build . --warningiserror --keep-going > _build/logs/book.log 2>&1; then
            grep -E "Using cached notebook|Executing notebook|build succeeded" _build/logs/book.log
        else
            cat _build/logs/book.log
            failed+=("website build")
            built=0
        fi
        # The Korean edition: catalogues complete and current, Colab editions current, and
        # the Korean website built from the same cached executions into _build/html/ko.
        echo
        echo "--- Korean edition: catalogues and Colab editions (tools/translations.py check)"
        t_ko=$SECONDS
        .venv/bin/python tools/translations.py check || failed+=("Korean catalogues")
        echo "--- Korean website (tools/translations.py build)"
        if .venv/bin/python tools/translations.py build > _build/logs/book-ko.log 2>&1; then
            grep -E "Using cached notebook|Executing notebook|build succeeded" _build/logs/book-ko.log
        else
            cat _build/logs/book-ko.log
            failed+=("Korean website build")
            built=0
        fi
        took "Korean edition (check and build)" "$t_ko"
        if [ "$lessons" = 1 ] && grep -q "Executing notebook" _build/logs/book.log _build/logs/book-ko.log; then
            echo "error: a website build executed a lesson that tools/execute.py had cached"
            failed+=("website build (executed a lesson again)")
        fi
        if [ "$built" = 1 ]; then
            .venv/bin/python -m pytest tests -m book -q || failed+=("built pages")
            echo
            echo "--- Accessibility and offline check, both editions, light and dark (tools/a11y/run.sh)"
            t_a11y=$SECONDS
            bash tools/a11y/run.sh
            case $? in
                0) ;;
                3) a11y_state=skipped ;;
                *) failed+=("accessibility and offline check") ;;
            esac
            took "accessibility and offline check" "$t_a11y"
        fi
    fi
    if [ -n "$repro_pid" ]; then
        wait "$repro_pid" || failed+=("reproducibility")
        echo
        echo "--- Reproducibility:"
        cat _build/logs/repro.log
    fi
    took "website, page checks, reproducibility" "$t"
fi

echo
echo "Time per step (wall clock; the lessons' own figures are in _build/reports/runtime.md):"
printf '  %s\n' "${timings[@]}"
echo "Finished in $((SECONDS - started)) s."
if [ "$colab_state" = skipped ]; then
    echo "COLAB PARITY SKIPPED (no Python 3.13)."
fi
if [ "$a11y_state" = skipped ]; then
    echo "ACCESSIBILITY CHECK SKIPPED (no Chromium or Node.js; see above)."
fi
if [ "${#failed[@]}" -eq 0 ]; then
    echo "All course tests passed."
    exit 0
fi
echo "FAILED: ${failed[*]}"
exit 1

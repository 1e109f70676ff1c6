#!/usr/bin/env bash
# Everything `make test` runs after building build/ (release) and build-asan/ (ASan+UBSan).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
failed=0
step() { printf '\n== %s\n' "$*"; }

step "layering: src/core includes only the standard library and src/core"
if grep -rnE '#include ["<](store/|api/|app/|crypto/|geo/|boost/|simdjson|rapidjson|sqlite3|sodium|libpq|pqxx)' src/core; then
  echo "src/core must not include adapters or third-party headers"; failed=1
fi

step "format: clang-format on every C++ file"
if ! git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror 2>/tmp/civicgrid-format.log; then
  head -20 /tmp/civicgrid-format.log; echo "run 'make format'"; failed=1
fi

step "unit, store and HTTP integration tests (release build)"
ctest --test-dir build --output-on-failure -j "$jobs" || failed=1

step "the same tests under AddressSanitizer + UndefinedBehaviorSanitizer"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" || failed=1

smoke=../shared/checks/closed-loop-smoke
if [[ -x $smoke ]]; then
  step "contract smoke check ($smoke)"
  out=$("$smoke" 2>&1 | tail -n 1)
  echo "$out"
  case "$out" in *"hold") ;; *) failed=1 ;; esac
fi

if ((failed)); then
  echo; echo "make test: FAILED"; exit 1
fi
echo; echo "make test: all passed"

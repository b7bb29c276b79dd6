#!/usr/bin/env bash
# Run the test suite the way CI does: install Campus and its dev tools from the lock into .venv,
# start the real PostgreSQL, Redis and Kafka on loopback (installing them on first use), then run
# pytest.
#
#   ops/test.sh                      # everything: the fault tests alone, then the rest side by side
#   ops/test.sh fast [ARGS]          # the tier that needs no service, side by side (no service started)
#   ops/test.sh ARGS                 # any pytest arguments: that run alone
#
# The fault tests (marked `exclusive`) stop and restart the shared services, so they run by
# themselves; every other test has databases, topics and a Redis database of its own, so they run
# in CAMPUS_TEST_WORKERS processes at once (default 3: much of their time is spent waiting; the
# fast tier's default is one per core and one more).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ops/install.sh
# Each test process imports the whole of Campus and its tests: with bytecode caches (and
# pytest's, of the rewritten test modules) that costs half what compiling every time does.
unset PYTHONDONTWRITEBYTECODE
pytest=("${CAMPUS_VENV:-.venv}/bin/python" -m pytest)
# Work stealing: a worker that runs out takes queued tests from the others, so a long test
# queued late does not leave the run waiting on one worker (it did, for 12 s of 70).
workers=(-n "${CAMPUS_TEST_WORKERS:-3}" --dist worksteal)
if [[ "${1:-}" == fast ]]; then
  # This tier keeps every core busy (three workers on two cores: 94 % of both), so it takes a
  # worker per core and one more for the tests that wait on purpose (timeouts, retries).
  fast=(-n "${CAMPUS_TEST_WORKERS:-$(($(nproc) + 1))}" --dist worksteal)
  exec "${pytest[@]}" -q -m "not services" "${fast[@]}" "${@:2}"
fi
ops/services/up.sh >/dev/null
if [[ $# -gt 0 ]]; then exec "${pytest[@]}" "$@"; fi
"${pytest[@]}" -q -m exclusive
exec "${pytest[@]}" -q -m "not exclusive" "${workers[@]}"

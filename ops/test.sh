#!/usr/bin/env bash
# Run the test suite the way CI does: install Campus and its dev tools from the lock into .venv,
# start the real PostgreSQL, Redis and Kafka on loopback (installing them on first use), then run
# pytest. Extra arguments go to pytest (e.g. `ops/test.sh tests/unit -x`, `ops/test.sh -m 'not services'`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ops/install.sh
ops/services/up.sh >/dev/null
exec "${CAMPUS_VENV:-.venv}/bin/python" -m pytest "$@"

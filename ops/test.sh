#!/usr/bin/env bash
# Run the test suite the way CI does: install Campus with its dev tools, start the real
# PostgreSQL, Redis and Kafka on loopback (installing them on first use), then run pytest.
# Extra arguments go to pytest (e.g. `ops/test.sh tests/unit -x`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[dev]'
ops/services/up.sh >/dev/null
exec python3 -m pytest "$@"

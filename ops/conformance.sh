#!/usr/bin/env bash
# Check that Campus answers what docs/api-spec.yaml documents, at length: schemathesis sends
# every operation many generated requests, valid and invalid, as an admin, a student and an
# anonymous caller, on the embedded backend (no services needed), and reports every answer whose
# status, content type or body the document does not allow, and every 500.
#
#   ops/conformance.sh          # 100 requests per operation and kind (valid, invalid)
#   ops/conformance.sh 500      # more
#
# The test suite runs the same check with one request each (tests/test_api_conformance.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ops/install.sh
CAMPUS_CONFORMANCE_EXAMPLES=${1:-100} exec .venv/bin/python -m pytest \
  tests/test_api_conformance.py -p no:cacheprovider -q --timeout=0 --no-header

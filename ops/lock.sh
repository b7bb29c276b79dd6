#!/usr/bin/env bash
# Re-resolve the locks from pyproject.toml: the one way to upgrade dependencies.
#   requirements.lock      what Campus runs on (the image installs it)
#   requirements-dev.lock  the same pins plus the test tools (ops/install.sh installs it)
#
#   ops/lock.sh                      # keep current pins where pyproject.toml still allows them
#   ops/lock.sh --upgrade            # newest versions everything allows
#   ops/lock.sh --upgrade-package fastapi
#
# Then run ops/test.sh, regenerate docs/api-spec.yaml (`campus openapi`) if the web stack moved,
# and commit the locks with what they changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools=${CAMPUS_CACHE_DIR:-${HOME:-/root}/.cache/campus}/pip-tools
[[ -x $tools/bin/pip-compile ]] || {
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check pip-tools
}
compile() {
  "$tools/bin/pip-compile" --quiet --generate-hashes --strip-extras --no-emit-find-links \
    --allow-unsafe "$@" pyproject.toml
}
# The dev lock is resolved first and the runtime lock is constrained by it, so both pin each
# shared package to the same version.
compile --extra dev --output-file requirements-dev.lock "$@"
compile --constraint requirements-dev.lock --output-file requirements.lock

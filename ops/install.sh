#!/usr/bin/env bash
# Install Campus into the virtual environment .venv from the locked dependencies
# (requirements-dev.lock: every package, transitive ones included, pinned with its hashes), so
# every machine runs the same versions. Cheap when nothing changed: the lock's hash is stamped
# into the environment and a matching stamp skips the install.
#
#   ops/install.sh            # then .venv/bin/campus, or `. .venv/bin/activate`
#
# Upgrading the pins is ops/lock.sh's job, never this script's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=${CAMPUS_VENV:-.venv}
stamp=$venv/.campus-lock.sha256
want=$( (cat requirements-dev.lock; sha256sum pyproject.toml) | sha256sum | cut -d' ' -f1)

if [[ -f $stamp && "$(<"$stamp")" == "$want" ]]; then exit 0; fi

[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip --quiet --disable-pip-version-check)
# Hash-checking mode: a package whose bytes differ from the lock's is refused, not installed.
"${pip[@]}" install --require-hashes --no-deps -r requirements-dev.lock
# Campus itself, editable, with nothing resolved beyond the lock.
"${pip[@]}" install --no-deps -e .
"${pip[@]}" check >/dev/null || { "${pip[@]}" check; exit 1; }
printf '%s\n' "$want" >"$stamp"

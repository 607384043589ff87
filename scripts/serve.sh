#!/usr/bin/env bash
# `make serve`: build the demo bank from the fictional sample articles with onrecord's own
# extraction and verification (if it isn't built yet), then serve it on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
OR=.venv/bin/onrecord
if [ ! -f demo.db ]; then
  $OR ingest examples/articles.jsonl --db demo.db --no-progress
fi
exec $OR serve --db demo.db --host 127.0.0.1 --port "${PORT:-8000}"

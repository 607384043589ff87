#!/usr/bin/env bash
# The main job on the embedded default: extract, bank, search, verify — on the
# project's own fictional sample articles (examples/).
set -euo pipefail
cd "$(dirname "$0")/.."
OR=.venv/bin/onrecord
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "onrecord extract examples/articles.jsonl   (who said what, with in-article checks)"
$OR extract examples/articles.jsonl

step "onrecord ingest examples/articles.jsonl --db demo.db   (the embedded quote bank, SQLite)"
rm -f demo.db demo.db-wal demo.db-shm
$OR ingest examples/articles.jsonl --db demo.db --no-progress

step "onrecord search herring --db demo.db"
$OR search herring --db demo.db

step "onrecord verify --db demo.db   (cross-article: conflicting attribution, altered wording)"
$OR verify --db demo.db

"""Corpus ingestion: resumable, parallel, and on Ray Data (extra: ray)."""

from onrecord.run._ingest import ENGINES, IngestOptions, IngestReport, ingest
from onrecord.run._parallel import WorkerDied, extract_parallel
from onrecord.run._progress import count_inputs

__all__ = [
    "ENGINES",
    "IngestOptions",
    "IngestReport",
    "WorkerDied",
    "count_inputs",
    "extract_parallel",
    "ingest",
]

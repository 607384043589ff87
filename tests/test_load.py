"""Loading the spaCy pipelines: the saved tokenizer is used as it is on disk."""

from __future__ import annotations

import ctypes
import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from onrecord._pipeline import MODEL, _saved_pipeline_dir, load_nlp, model_location

TEXT = (
    "Dr. Ada Moreno-Ruiz can't say it (yet): \"we'll see,\" she told WKRP-TV's "
    "reporters at 9:30 a.m. on 3/14 — see https://example.org/a?b=c :-) U.S. "
    "officials' e-mails, 'tis the season... #budget @mayor_ada $4.5bn, 12%!"
)


@pytest.mark.parametrize("model", ["sm", "fast"])
def test_tokens_equal_spacys_own_load(model: str) -> None:
    location = model_location(model)
    ours = load_nlp(model).make_doc(TEXT)
    theirs = spacy.load(location).make_doc(TEXT)
    assert [t.text for t in ours] == [t.text for t in theirs]
    assert len(ours) > 50


def test_saved_pipeline_dir(tmp_path: Path) -> None:
    package = _saved_pipeline_dir(MODEL)
    assert package is not None
    assert (package / "tokenizer").is_file()
    fast = _saved_pipeline_dir(model_location("fast"))
    assert fast is not None
    assert (fast / "config.cfg").is_file()
    assert _saved_pipeline_dir("no_such_pipeline_xyz") is None
    assert _saved_pipeline_dir(str(tmp_path)) is None  # a directory, not a pipeline


ONE_JOB = r"""
import ctypes, json, sys
import numpy as np
import onrecord._pipeline as pipeline

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
    ).split()]

mallinfo2 = ctypes.CDLL(None).mallinfo2
mallinfo2.restype = MallInfo2
if sys.argv[1] == "one_job":
    pipeline.one_job()
elif sys.argv[1] != "library":  # a command, as the command line runs it
    from click.testing import CliRunner
    from onrecord.cli import cli
    assert CliRunner().invoke(cli, [sys.argv[1], "--help"]).exit_code == 0
a = np.ones(4 << 20, np.float32)  # 16 MB
print(json.dumps({"mapped": mallinfo2().hblkhd, "freeze": pipeline.FREEZE_AFTER_LOAD}))
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or platform.libc_ver()[0] != "glibc"
    or not hasattr(ctypes.CDLL(None), "mallinfo2"),  # glibc 2.33 and later
    reason="malloc settings are glibc's (and mallinfo2 tells them)",
)
def test_one_job_keeps_large_arrays_on_the_heap() -> None:
    # run apart: the settings change the whole process
    def run(mode: str) -> dict[str, int]:
        out = subprocess.run(
            [sys.executable, "-c", ONE_JOB, mode],
            capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        return json.loads(out.stdout)  # type: ignore[no-any-return]

    default, one_job = run("library"), run("one_job")
    assert default == {"mapped": default["mapped"], "freeze": False}
    assert default["mapped"] >= 16 << 20  # glibc maps an array this big on its own
    assert one_job["freeze"] is True
    assert one_job["mapped"] < 16 << 20  # the command line's: from the heap
    extract, serve = run("extract"), run("serve")
    assert extract["freeze"]
    assert extract["mapped"] < 16 << 20
    # a server keeps malloc's defaults (freed memory goes back), and the freeze
    assert serve["freeze"]
    assert serve["mapped"] >= 16 << 20

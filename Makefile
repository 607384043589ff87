# onrecord — everyday commands. `make demo` and `make test` work on a fresh machine.
.PHONY: setup demo test lint evaluate bench train train-fast bench-fast serve clean

PY := .venv/bin/python
ONRECORD := .venv/bin/onrecord
DEV := ../shared/data/polnear/dev.jsonl

setup:
	bash scripts/setup.sh

demo: setup
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check src tests bench
	.venv/bin/mypy src/onrecord

evaluate: setup
	$(ONRECORD) evaluate $(DEV) --errors 5

bench: setup
	$(PY) bench/throughput.py --models sm,fast
	$(PY) bench/peers.py --models sm,fast --rounds 3

train:
	bash scripts/setup.sh "dev,train"
	$(PY) scripts/train_cues.py
	$(PY) bench/calibration.py --fit ../shared/data/polnear/train.jsonl --svg docs/reliability.svg

# the distilled fast spaCy pipeline (src/onrecord/data/models/en_onrecord_fast): silver
# annotation of PolNeAR train by en_core_web_sm, spaCy training in two stages
# (configs/fast.cfg, then configs/fast-resume.cfg resuming it; one thread, nice),
# packaging; about 1.5 hours on 2 shared cores. Work files in .train/.
train-fast: setup
	$(PY) scripts/train_fast_model.py

bench-fast: setup
	$(PY) bench/fast_model.py

serve: setup
	bash scripts/serve.sh

clean:
	rm -rf .venv build dist *.egg-info artifacts demo.db* serve-demo.db*

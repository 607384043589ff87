# onrecord — everyday commands. `make demo` and `make test` work on a fresh machine.
.PHONY: setup demo test lint evaluate bench train serve clean

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
	$(PY) bench/throughput.py
	$(PY) bench/peers.py

train:
	bash scripts/setup.sh "dev,train"
	$(PY) scripts/train_cues.py
	$(PY) bench/calibration.py --fit ../shared/data/polnear/train.jsonl --svg docs/reliability.svg

serve: setup
	bash scripts/serve.sh

clean:
	rm -rf .venv build dist *.egg-info artifacts demo.db* serve-demo.db*

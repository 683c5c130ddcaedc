# htwork: every target sets itself up on a fresh machine (needs only Python 3.11 and make).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lab bench lint learner clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch is installed first and pinned: the CPU build of 2.13.0 lies on this machine's disk;
# an unpinned torch (pulled in by sdv) would download a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --upgrade pip setuptools wheel
	$(PY) -m pip install torch==2.13.0
	$(PY) -m pip install -e ".[sdv,dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/htwork demo

test: $(STAMP)
	$(PY) -m pytest --nbval-lax -q

lint: $(STAMP)
	$(VENV)/bin/ruff check htwork tests benchmarks tools

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks tutorials

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

# learner copies of the lessons (solution cells emptied) in tutorials/learner/
learner: $(STAMP)
	$(PY) -m htwork.tutor.learner tutorials tutorials/learner

clean-venv:
	rm -rf $(VENV)

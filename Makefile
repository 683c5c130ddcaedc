# htwork: every target sets itself up on a fresh machine (needs only Python 3.11 and make).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test check lab bench lint learner clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

# pyproject.toml declares ranges; constraints.txt holds the exact versions CI installs.
# torch is installed first and pinned: the CPU build of 2.13.0 lies on this machine's disk;
# an unpinned torch (pulled in by sdv) would download a multi-GB CUDA build.
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --upgrade pip setuptools wheel
	$(PY) -m pip install -c constraints.txt torch==2.13.0
	$(PY) -m pip install -c constraints.txt -e ".[sdv,dev]"
	$(PY) -m pip install -c constraints.txt -e ".[spark]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/htwork demo

# Everything, notebooks included (the nbval options are in pyproject.toml).
# On every core (at most 4; pytest-xdist): a lesson's copies share a process (see conftest.py).
test: $(STAMP)
	$(PY) -m pytest -q -n auto --maxprocesses 4

# The fast tier (about 2 minutes): the unit tests, without the slow ones and the notebooks.
check: $(STAMP)
	$(PY) -m pytest tests -q -m "not slow and not notebook" -n auto --maxprocesses 4

lint: $(STAMP)
	$(VENV)/bin/ruff check htwork tests benchmarks tools conftest.py notebooks tutorials
	$(VENV)/bin/mypy htwork

# JupyterLab at the repository root (lessons, datasets/, synthetic/ and out/ all in the file
# browser), with the course guide open; settings in tools/jupyterlab/ (Markdown opens rendered,
# no news or update checks: the course runs offline).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --LabApp.app_settings_dir=$(CURDIR)/tools/jupyterlab \
		tutorials/README.md

# The learner copies (tutorials/learner/), rebuilt from the trainer's copies in tutorials/.
learner: $(STAMP)
	$(PY) -m htwork.tutor.learner tutorials tutorials/learner

# bench_synth: CTGAN at 300 epochs takes hours on 2 cores; the recorded run used these settings.
bench: $(STAMP)
	@status=0; for f in $(filter-out %_common.py,$(wildcard benchmarks/bench_*.py)); do \
		args=""; case $$f in *bench_synth.py) args="--quick --ctgan-epochs 20 --tvae-epochs 50";; esac; \
		echo "== $$f $$args"; $(PY) $$f $$args || { status=1; echo "== $$f missed a goal"; }; \
		done; exit $$status

clean-venv:
	rm -rf $(VENV)

# Set-up and everyday commands. `make lab` and `make test` are all a new user needs.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python

# What each target installs into .venv, as pip extras of this project (pyproject.toml): `make lab` the lab
# (JupyterLab, widgets, Voila); `make test` and `make setup` everything (lab, dist: Dask, test: pytest...);
# `make report` / `make deck` only the required dependencies. One stamp per set, redone when pyproject.toml changes.
EXTRAS_core :=
EXTRAS_lab  := lab
EXTRAS_all  := lab,dist,test

# Find a Python >= 3.12: python3.13, python3.12, python3 on PATH, then pyenv's versions.
FIND_PYTHON = for c in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -r); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
	    command -v $$c; exit 0; fi; done; exit 1

.PHONY: lab test report deck dashboard notebooks bench setup clean docs

setup: $(VENV)/.installed-all

$(VENV)/.installed-%: pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  base=$$($(FIND_PYTHON)) || { echo "error: this lab needs Python >= 3.12 (Mesa 3.5 requires it); none was found as python3.13, python3.12, python3 or under ~/.pyenv/versions. Install one (e.g. 'apt-get install python3.12' as root, or with sudo; or 'pyenv install 3.12') and run make again." >&2; exit 2; }; \
	  echo "Creating $(VENV) with $$base"; $$base -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".$(if $(EXTRAS_$*),[$(EXTRAS_$*)])"
	@touch $@

# make lab [LANG=zh] [PORT=8888] [BROWSER=no]: JupyterLab on notebooks/. LANG=zh (or a Chinese locale, e.g.
# LANG=zh_CN.UTF-8) opens every notebook in Chinese, anything else in English: it becomes SIYU_LANG, which each
# notebook's first cell reads (sim/present/page.py), while the locale itself is kept. As root (containers) it adds
# --allow-root, which Jupyter otherwise refuses to start without; BROWSER=no opens no browser window.
PORT    ?= 8888
BROWSER ?= yes
LAB_LANG    = $(if $(filter zh%,$(LANG)),zh,en)
LAB_LOCALE  = $(if $(findstring .,$(LANG)),$(LANG),C.UTF-8)
lab: $(VENV)/.installed-lab
	SIYU_LANG=$(LAB_LANG) LANG=$(LAB_LOCALE) $(VENV)/bin/jupyter lab notebooks/ --port=$(PORT) \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $$([ "$(BROWSER)" = no ] && echo --no-browser)

# make test [JOBS=auto]: the whole suite, notebooks included, on every core (pytest-xdist; --dist loadfile
# keeps each test file and each notebook on one worker, so a notebook's cells run in order in one kernel).
JOBS ?= auto
test: $(VENV)/.installed-all
	SIYU_LANG=en $(PY) -m pytest tests notebooks --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
	  -n $(JOBS) --dist loadfile

REPORT_ARGS := --out out/report --explain --worlds 16
report: $(VENV)/.installed-core
	$(PY) -m sim report $(REPORT_ARGS)

# make deck [DECK_LANG=zh|en]: out/report/deck_zh.pptx and deck_en.pptx (only DECK_LANG's when given), plus
# everything `make report` writes (the same run, so its charts stay: the folder is replaced as a whole).
DECK_LANG ?=
deck: $(VENV)/.installed-core
	$(PY) -m sim report $(REPORT_ARGS) --deck $(if $(DECK_LANG),--lang $(DECK_LANG))

# make dashboard [DASH_LANG=zh] [DASH_PORT=8866] [DASH_POOL=auto] [CULL_IDLE=120] [CULL_INTERVAL=30]: notebook 02
# served to a team as the dashboard (Voila), in Chinese unless DASH_LANG=en (sim/present/serve.py).
# - The page is run once before serving, so its strategies' simulations are in the lab's cache
#   (out/cache/runs/, keyed by scenario, engine code version and seed; sim/present/refcache.py): every
#   visitor's kernel reads them instead of simulating them again.
# - DASH_POOL pre-heated kernels (auto: two per core, within half the free memory, at most 8) have already run
#   the page when visitors arrive; the page is sent with a still of itself (its Voila template,
#   sim/present/jupyter/voila/templates/siyu): that many visitors at once see the first table within ~4 s and move
#   the sliders within ~8 s. A taken kernel is replaced 12 s later. `python -m sim.present.serve --capacity` prints what this machine serves.
# - Every page holds its own kernel (~450 MB). When the page is closed the kernel is left without
#   connections; Jupyter's kernel culler shuts it down once it has been idle for CULL_IDLE seconds, checking
#   every CULL_INTERVAL seconds (a page that is open keeps its kernel).
DASH_LANG     ?= zh
DASH_PORT     ?= 8866
DASH_POOL     ?= auto
CULL_IDLE     ?= 120
CULL_INTERVAL ?= 30
dashboard: $(VENV)/.installed-lab
	$(PY) -m sim.present.serve --lang=$(DASH_LANG) --port=$(DASH_PORT) --pool=$(DASH_POOL) \
	  --cull-idle=$(CULL_IDLE) --cull-interval=$(CULL_INTERVAL)

notebooks: $(VENV)/.installed-lab
	SIYU_LANG=en $(PY) -m sim.present.notebook_exec notebooks/*.ipynb

bench: $(VENV)/.installed-all
	$(PY) benchmarks/run.py

clean:
	rm -rf out .pytest_cache

docs: $(VENV)/.installed-core
	@$(PY) -c "import pathlib,subprocess,sys; p=pathlib.Path('docs/model.md'); head=p.read_text(encoding='utf-8').split('## Parameters')[0]; tbl=subprocess.run([sys.executable,'-m','sim','schema','--markdown'],capture_output=True,text=True,check=True).stdout; p.write_text(head+'## Parameters\n\n'+tbl,encoding='utf-8')"
	@$(PY) -c "from sim.lab.plausibility import plausibility, update_doc; update_doc('docs/model.md', plausibility('baseline'))"
	@echo "docs/model.md parameter table and plausibility section (baseline, 2 seeds) regenerated"

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

# make lab [PORT=8888] [BROWSER=no]: JupyterLab on notebooks/. As root (containers) it adds
# --allow-root, which Jupyter otherwise refuses to start without; BROWSER=no opens no browser window.
PORT    ?= 8888
BROWSER ?= yes
lab: $(VENV)/.installed-lab
	$(VENV)/bin/jupyter lab notebooks/ --port=$(PORT) \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $$([ "$(BROWSER)" = no ] && echo --no-browser)

# make test [JOBS=auto]: the whole suite, notebooks included, on every core (pytest-xdist; --dist loadfile
# keeps each test file and each notebook on one worker, so a notebook's cells run in order in one kernel).
JOBS ?= auto
test: $(VENV)/.installed-all
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
	  -n $(JOBS) --dist loadfile

REPORT_ARGS := --out out/report --explain --worlds 16
report: $(VENV)/.installed-core
	$(PY) -m sim report $(REPORT_ARGS)

# make deck [DECK_LANG=zh|en]: out/report/deck_zh.pptx and deck_en.pptx (only DECK_LANG's when given), plus
# everything `make report` writes (the same run, so its charts stay: the folder is replaced as a whole).
DECK_LANG ?=
deck: $(VENV)/.installed-core
	$(PY) -m sim report $(REPORT_ARGS) --deck $(if $(DECK_LANG),--lang $(DECK_LANG))

# make dashboard [DASH_PORT=8866] [CULL_IDLE=120] [CULL_INTERVAL=30]: the dashboard app with Voila.
# - One kernel is kept pre-heated (--preheat_kernel, --pool_size=1): it has already run the notebook
#   when a visitor arrives, so the first table shows in ~3 s. The reference strategies' runs are cached
#   on disk (out/cache/runs/, keyed by scenario, engine code version and seed; sim/present/refcache.py),
#   so a fresh kernel reads them instead of rerunning.
# - Every page gets its own kernel (~400 MB). When the page is closed the kernel is left without
#   connections; Jupyter's kernel culler shuts down such a kernel once it has been idle for
#   CULL_IDLE seconds, checking every CULL_INTERVAL seconds (MappingKernelManager.cull_idle_timeout /
#   cull_interval; a page that is open keeps its kernel, cull_connected=False).
DASH_PORT     ?= 8866
CULL_IDLE     ?= 120
CULL_INTERVAL ?= 30
dashboard: $(VENV)/.installed-lab
	$(VENV)/bin/voila notebooks/02_strategy_comparison.ipynb --no-browser --Voila.ip=127.0.0.1 --port=$(DASH_PORT) \
	  --preheat_kernel=True --pool_size=1 \
	  --MappingKernelManager.cull_idle_timeout=$(CULL_IDLE) --MappingKernelManager.cull_interval=$(CULL_INTERVAL) \
	  --MappingKernelManager.cull_connected=False

notebooks: $(VENV)/.installed-lab
	$(PY) -m sim.present.notebook_exec notebooks/*.ipynb

bench: $(VENV)/.installed-all
	$(PY) benchmarks/run.py

clean:
	rm -rf out .pytest_cache

docs: $(VENV)/.installed-core
	@$(PY) -c "import pathlib,subprocess,sys; p=pathlib.Path('docs/model.md'); head=p.read_text(encoding='utf-8').split('## Parameters')[0]; tbl=subprocess.run([sys.executable,'-m','sim','schema','--markdown'],capture_output=True,text=True,check=True).stdout; p.write_text(head+'## Parameters\n\n'+tbl,encoding='utf-8')"
	@$(PY) -c "from sim.lab.plausibility import plausibility, update_doc; update_doc('docs/model.md', plausibility('baseline'))"
	@echo "docs/model.md parameter table and plausibility section (baseline, 2 seeds) regenerated"

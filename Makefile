# Set-up and everyday commands. `make lab` and `make test` are all a new user needs.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Find a Python >= 3.12: python3.13, python3.12, python3 on PATH, then pyenv's versions.
FIND_PYTHON = for c in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -r); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
	    command -v $$c; exit 0; fi; done; exit 1

.PHONY: lab test report dashboard notebooks bench setup clean docs

setup: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  base=$$($(FIND_PYTHON)) || { echo "error: this lab needs Python >= 3.12 (Mesa 3.5 requires it); none was found as python3.13, python3.12, python3 or under ~/.pyenv/versions. Install one (e.g. 'apt-get install python3.12' or 'pyenv install 3.12') and run make again." >&2; exit 2; }; \
	  echo "Creating $(VENV) with $$base"; $$base -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

test: $(STAMP)
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

report: $(STAMP)
	$(PY) -m sim report --out out --explain --worlds 16

dashboard: $(STAMP)
	$(VENV)/bin/voila notebooks/02_strategy_comparison.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866

notebooks: $(STAMP)
	$(PY) -m sim.present.notebook_exec notebooks/*.ipynb

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf out .pytest_cache

docs: $(STAMP)
	@$(PY) -c "import pathlib,subprocess,sys; p=pathlib.Path('docs/model.md'); head=p.read_text(encoding='utf-8').split('## Parameters')[0]; tbl=subprocess.run([sys.executable,'-m','sim','schema','--markdown'],capture_output=True,text=True,check=True).stdout; p.write_text(head+'## Parameters\n\n'+tbl,encoding='utf-8')"
	@echo "docs/model.md parameter table regenerated"

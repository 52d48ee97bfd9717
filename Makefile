# Two commands do all set-up: `make run` (the app on the sample project) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SAMPLE := sample-project/sample.twb

.PHONY: run test lint bench sample clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(SAMPLE): $(STAMP) $(wildcard resources/sample/*)
	rm -f $(SAMPLE)
	$(PY) -m workbench.sample $(SAMPLE)

sample: $(SAMPLE)

# The display check names the Debian/Ubuntu packages Qt's X11 plugin lacks, if any.
run: $(STAMP)
	$(PY) -m ui.display_check
	$(MAKE) --no-print-directory $(SAMPLE)
	$(PY) main.py --project $(SAMPLE)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/import_bench.py
	$(PY) benchmarks/annotate_bench.py
	$(PY) benchmarks/extract_bench.py
	$(PY) benchmarks/extract_quality.py

clean:
	rm -rf $(VENV) sample-project .mypy_cache .ruff_cache .pytest_cache

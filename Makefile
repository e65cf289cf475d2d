# Two commands: `make demo` and `make test`. Both create the environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test maps bench bench-quick venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/matcher solve instances/nl-week --out out/nl-week
	@echo "solution, report and map written to out/nl-week/"

test: $(STAMP)
	$(BIN)/python -m pytest -q

maps: $(STAMP)
	$(BIN)/matcher make-maps --out maps

# bench: every tier, seeds 1,2,3 (about an hour); bench-quick: the small tiers, seeds 1,2,3 (1-2 minutes)
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --full --seeds 1,2,3

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick --seeds 1,2,3

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache .hypothesis

# Two commands: `make demo` and `make test`. Both create the environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test maps bench bench-quick simulate-demo propose-demo venv clean

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

# The shipped simulation example (instances/simulation/): nl-stock over 104 weeks, baseline vs two
# scenarios, and a break-even grid for kleinschalig-2030 (a few minutes each on 2 cores).
SIM_ARGS := --params instances/simulation/SIM.toml --weeks 104
simulate-demo: $(STAMP)
	$(BIN)/matcher simulate instances/nl-stock instances/scenarios/kleinschalig-2030.toml \
	  instances/scenarios/afbouw-gesloten.toml $(SIM_ARGS) --replications 6 --out instances/simulation/example
	$(BIN)/matcher simulate instances/nl-stock instances/scenarios/kleinschalig-2030.toml $(SIM_ARGS) \
	  --replications 2 --grid kleinschalig.stay=0.6:1.0:3 --grid kleinschalig.inflow=0.7:1.0:3 \
	  --out instances/simulation/break-even

# The shipped proposal (instances/proposal/): nl-stock with instances/proposal/options.toml, the 3 best
# plans verified against the baseline over 104 weeks with 10 replications (docs/propose.md).
propose-demo: $(STAMP)
	$(BIN)/matcher propose instances/nl-stock instances/proposal/options.toml --params instances/simulation/SIM.toml \
	  --weeks 104 --replications 10 --plans 3 --out instances/proposal/example

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache .hypothesis

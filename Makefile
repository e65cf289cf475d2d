# Two commands: `make demo` and `make test`. Both create the environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test catalogs maps bench bench-quick simulate-demo register-demo bench-register propose-demo venv clean

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

# catalogs: compile the .po files of matcher/locale/<lang>/LC_MESSAGES into the matcher.mo beside
# them (kept in the repository; run after editing a .po file)
catalogs: $(STAMP)
	$(BIN)/python -m matcher.i18n

maps: $(STAMP)
	$(BIN)/matcher make-maps --out maps

# bench: every tier, seeds 1,2,3 (about an hour); bench-quick: the small tiers, seeds 1,2,3 (1-2 minutes)
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --full --seeds 1,2,3

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick --seeds 1,2,3

# The shipped simulation example (instances/simulation/): nl-stock over 104 weeks, baseline vs two
# scenarios (about half a minute on 2 cores), and the break-even answer for kleinschalig-2030 from
# a designed experiment: 32 Sobol points over stay and inflow of small-scale care, replications
# from the precision target (pilot 3, at most 6 per point), over 52 weeks (the first year; about
# 6 minutes on 2 cores).
SIM_ARGS := --params instances/simulation/SIM.toml --weeks 104
EXPLORE_ARGS := --params instances/simulation/SIM.toml --weeks 52
simulate-demo: $(STAMP)
	$(BIN)/matcher simulate instances/nl-stock instances/scenarios/kleinschalig-2030.toml \
	  instances/scenarios/afbouw-gesloten.toml $(SIM_ARGS) --replications 6 --out instances/simulation/example
	$(BIN)/matcher simulate instances/nl-stock instances/scenarios/kleinschalig-2030.toml $(EXPLORE_ARGS) \
	  --explore kleinschalig.stay=0.6:1.0 --explore kleinschalig.inflow=0.7:1.0 --points 32 \
	  --pilot 3 --replications 6 --precision 0.005 --seed 1 --out instances/simulation/experiment

# The shipped register example (instances/register/): a register made from nl-week, four weeks at the
# desk with the simulation's arrival model, declines and second rounds, the monitor (a few minutes).
register-demo: $(STAMP)
	$(BIN)/python -m matcher.register.rehearsal instances/register

# The register's speed (benchmarks/register.py): 52 weekly cycles and the monitor over 5 years,
# on SQLite and on a throwaway PostgreSQL cluster (about 10 minutes).
bench-register: $(STAMP)
	$(BIN)/python -m benchmarks.register --backend both

# The shipped proposal (instances/proposal/): nl-stock with instances/proposal/options.toml, the 3 best
# plans verified against the baseline over 104 weeks with 10 replications (docs/propose.md).
propose-demo: $(STAMP)
	$(BIN)/matcher propose instances/nl-stock instances/proposal/options.toml --params instances/simulation/SIM.toml \
	  --weeks 104 --replications 10 --plans 3 --out instances/proposal/example

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache .hypothesis

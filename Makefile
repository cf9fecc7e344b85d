# ddi-dma: a DMA verification kit (sgdma RTL + pyddi_model + cocotb testbench).
#   make demo     the main job (sets everything up on first use: make setup, scripts/setup.sh)
#   make test     model tests + quick regression on Icarus and Verilator
#   make regress  long regression: SIM=icarus|verilator|all SEEDS=N drawn per test [MASTER_SEED=M replays
#                 the plan] [VARIANT="hostile=none" pins a drawn axis]; on Dask with SCHEDULER=tcp://host:8786 or CLUSTER=local|slurm|pbs|sge|lsf
#                 (tb/regress/); make dask-scheduler, make dask-worker
#   make lint     ruff + verilator --lint-only -Wall (waivers: hdl/lint.vlt, tb/hdl/lint.vlt)
#   make gen      regenerate the register map files, tb/hdl/harness/sgdma_tb.v and sgdma_fast_tb.v
#   make bench    benchmarks (figures written to docs/)
#   make formal   SymbiYosys proofs of every bus interface (figures written to docs/formal.md)
#   make mutate   mutation run on hdl/ (long): MUTANTS=N SEED=n MUTATE_BUDGET=seconds
#   make coverage quick regression with code + functional coverage, merged report
#   make limits   a driver's ddi_dma_attr at and past every field on the simulated sgdma:
#                 PARAMS='{"LEN_WIDTH":13}' ATTR='{"count_max":8191}' [FIELDS=a,b] [SIM=icarus] [LIMITS_OPTS=--json]
#   make clean    remove build products (keeps .venv); make distclean also removes .venv

SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
SIM   ?= all
SEEDS ?= 4
SEED  ?= 1
# draws the SEEDS seeds of every test (tb/regress/seeds.py); random unless given, printed by make regress
MASTER_SEED ?=
ifeq ($(strip $(MASTER_SEED)),)
override MASTER_SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
# per-seed variant axes pinned instead of drawn, e.g. VARIANT="hostile=none" (tb/regress/seeds.py)
VARIANT ?=
SEED_PLAN = --seeds $(SEEDS) --master-seed $(MASTER_SEED) $(foreach v,$(VARIANT),--variant $(v))
JOBS  ?= 2
SCHEDULER ?=
CLUSTER   ?=
DASK_PORT ?= 8786
REGRESS_OPTS ?=
MUTANTS ?= 60
MUTATE_BUDGET ?= 2700
VERILATOR_ROOT := $(abspath $(VENV)/lib/python3.11/site-packages/verilator)
export VERILATOR_ROOT
export PATH := $(VERILATOR_ROOT)/bin:$(abspath $(VENV)/bin):$(PATH)

.PHONY: all setup test regress dask-scheduler dask-worker demo lint bench clean distclean gen formal mutate coverage \
	limits

all: test

# scripts/setup.sh does only what is missing (its stamp: .venv/.deps-installed newer than requirements.txt),
# so it runs once per make command, and a missing Icarus is said once
setup:
	@scripts/setup.sh

test: setup
	$(PY) -m pytest -m "not slow" -q -n $(JOBS) --dist loadfile

ifneq ($(SCHEDULER)$(CLUSTER),)
# Dask: one task per pytest node, results merged into the same files and summary as below.
regress: setup
	$(PY) -m tb.regress $(if $(SCHEDULER),--scheduler $(SCHEDULER),--cluster $(CLUSTER) --workers $(JOBS)) \
	  -m hw --sim $(SIM) $(SEED_PLAN) $(REGRESS_OPTS)
else
regress: setup
	@mkdir -p build && rm -f build/ddi_stats.jsonl
	$(PY) -m tb.regress --plan-only -m hw --sim $(SIM) $(SEED_PLAN)
	-$(PY) -m pytest -m "hw" -n $(JOBS) --sim=$(SIM) $(SEED_PLAN) --junitxml=build/regress.xml -q \
	  -o junit_family=xunit1 -p tb.regress.pytest_plugin --regress-progress
	$(PY) -m tb.summary build/regress.xml --stats build/ddi_stats.jsonl --out build/regress_summary.md
endif

# A scheduler and workers by hand (any host with this checkout and its .venv; README, "Regression").
dask-scheduler: setup
	$(PY) -m dask scheduler --port $(DASK_PORT)

dask-worker: setup
	@test -n "$(SCHEDULER)" || { echo "make dask-worker SCHEDULER=tcp://host:$(DASK_PORT) [JOBS=n]"; exit 2; }
	PYTHONPATH=$(CURDIR) $(PY) -m dask worker $(SCHEDULER) --nworkers $(JOBS) --nthreads 1

demo: setup
	@$(PY) tb/demo.py --sim verilator --seed $(SEED)

coverage: setup
	rm -rf build/coverage
	-SGDMA_COVERAGE=1 DDI_STATS_FILE=$(abspath build/coverage/ddi_stats.jsonl) nice -n 19 $(PY) -m pytest -m "hw and not slow" \
	  -n $(JOBS) --dist loadfile --sim=$(SIM) -q -p no:cacheprovider --junitxml=build/coverage/regress.xml \
	  -o junit_family=xunit1
	$(PY) -m tb.coverage_report --docs docs/coverage.md
	$(PY) -m tb.summary build/coverage/regress.xml --stats build/coverage/ddi_stats.jsonl \
	  --coverage build/coverage --out build/coverage/regress_summary.md

mutate: setup
	nice -n 19 $(PY) scripts/mutate.py --count $(MUTANTS) --seed $(SEED) --budget $(MUTATE_BUDGET)

gen: setup
	$(PY) scripts/gen_sgdma_map.py
	$(PY) -m tb.gen_sgdma_tb

# Verilator waivers (one reason each) live in hdl/lint.vlt and tb/hdl/lint.vlt, shared with the
# simulation builds (tb/sim_runner.py); the RTL and each testbench toplevel are linted with -Wall.
VLT := hdl/lint.vlt tb/hdl/lint.vlt
lint: setup
	$(VENV)/bin/ruff check pyddi_model tb tests bench scripts formal
	@if ls hdl/*.v >/dev/null 2>&1; then \
	  verilator --lint-only -Wall -Ihdl --top-module sgdma $(VLT) hdl/*.v && \
	  verilator --lint-only -Wall -Ihdl --top-module sgdma_tb $(VLT) hdl/*.v tb/hdl/checkers/*.v \
	    tb/hdl/harness/axi_hostile.v tb/hdl/harness/sgdma_tb.v && \
	  verilator --lint-only -Wall -Ihdl --top-module bench_sgdma_top $(VLT) hdl/*.v tb/hdl/bench/*.v && \
	  for sg in 0 1; do verilator --lint-only -Wall -Ihdl --top-module sgdma_fast_tb -GSG_PORT=$$sg $(VLT) \
	    hdl/*.v tb/hdl/checkers/*.v tb/hdl/harness/axi_hostile.v tb/hdl/harness/sgdma_tb.v \
	    tb/hdl/harness/tb_*.v tb/hdl/harness/sgdma_fast_tb.v || exit 1; done && \
	  verilator --lint-only -Wall --top-module protocol_checkers_tb $(VLT) tb/hdl/checkers/*.v \
	    tb/hdl/harness/protocol_checkers_tb.v && \
	  echo "verilator lint: clean"; fi

PARAMS ?=
ATTR ?=
FIELDS ?=
LIMITS_OPTS ?=
limits: setup
	$(PY) -m tb.limits $(if $(PARAMS),--params '$(PARAMS)') $(if $(ATTR),--attr '$(ATTR)') \
	  $(if $(FIELDS),--fields $(FIELDS)) --sim $(if $(filter all,$(SIM)),verilator,$(SIM)) $(LIMITS_OPTS)

bench: setup
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

formal: setup
	$(PY) formal/run.py

clean:
	rm -rf build sim_build .pytest_cache .ruff_cache .hypothesis results.xml
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

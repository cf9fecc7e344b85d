"""The system tests and the DDI flow under every hostile-interconnect mode (tb/hostile.py, the shims of
tb/hdl/harness/sgdma_tb.v), on Icarus and Verilator, every beat still checked by the same scoreboards, guards
and protocol checkers (on the DUT side of the shims).

The mode reaches the cocotb environments through SGDMA_HOSTILE (tb/env/base.BaseEnv read it). Builds
are those of tests/hw/test_sgdma.py and tests/hw/test_ddi.py (same parameters: no extra build).
  quick (make test): mode "all" (every behaviour at once) on two sgdma tests, both simulators.
  slow: every mode x (the sgdma subset, the DDI quick set); and per seed a mode drawn from the seed
  (make regress, tb/regress/seeds.py), named in the test id so the replay command names it.
Left out under hostile modes: the tests whose point is timing (efficiency, first-beat latency,
interrupt delay timer, counters of stall cycles), which a slower interconnect changes by design.
"""
from __future__ import annotations

import json

import pytest

from tb.hostile import HOSTILE
from tb.sim_runner import run
from tests.hw.test_ddi import MAIN, QUICK_MAIN
from tests.hw.test_ddi import _run as ddi_run
from tests.hw.test_hide_top import DEFINES as HIDE_DEFINES
from tests.hw.test_hide_top import PARAMS as HIDE_PARAMS
from tests.hw.test_sgdma import PARAMS, SG_PORT_TESTS, SOURCES

# test_abort_and_soft_reset is left out: its flush_streams() resets the S2MM stream source while a beat
# is on offer, which the s_axis checker rightly flags once a slower interconnect leaves that beat
# untaken (RS=0 and soft reset under faults stay covered by test_fault_injection)
SGDMA_SUBSET = ("test_one_descriptor_each_way,test_chains_and_packets,test_tail_extension_and_stale,"
                "test_limits,test_fault_injection,test_full_duplex_backpressure,test_s2mm_overflow")
SGDMA_QUICK = "test_one_descriptor_each_way,test_chains_and_packets"
DDI_SUBSET = ",".join(t for t in QUICK_MAIN.split(",") if t != "test_irq_coalescing")


def _sgdma(sim: str, mode: str, testcase: str, seed: int | None = None, params: dict = PARAMS):
    run("sgdma_tb", "cocotb_sgdma", sim=sim, parameters=params, testcase=testcase, seed=seed, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(params), "SGDMA_HOSTILE": mode})


def _ddi(sim: str, mode: str, seed: int = 1):
    ddi_run(sim, MAIN, testcase=DDI_SUBSET, seed=seed, hostile=mode)


def test_hostile_all_quick(sim):
    """Every hostile behaviour at once on one descriptor each way and multi-descriptor packets."""
    _sgdma(sim, "all", SGDMA_QUICK)


@pytest.mark.slow
@pytest.mark.parametrize("mode", HOSTILE)
def test_hostile_sgdma(sim, mode):
    """The sgdma functional subset (data, limits, faults, abort, full duplex) under one mode."""
    _sgdma(sim, mode, SGDMA_SUBSET)


@pytest.mark.slow
@pytest.mark.parametrize("mode", HOSTILE)
def test_hostile_ddi(sim, mode):
    """The DDI flow (quick set of tests/hw/test_ddi.py) under one mode."""
    _ddi(sim, mode)


@pytest.mark.slow
@pytest.mark.parametrize("mode", HOSTILE)
def test_hostile_ddi_errors(sim, mode):
    """The DDI error path (tests/hw/cocotb_ddi_errors.py: bus errors, abort and soft reset inside a
    multi-window request, the cleanup and its negative controls) under one mode, on the default (fast)
    transport."""
    ddi_run(sim, MAIN, seed=1, transport="fast", module="cocotb_ddi_errors", hostile=mode)


@pytest.mark.slow
def test_hostile_sg_port(sim):
    """SG_PORT=1: descriptors and write-backs on m_axi_sg, each master behind its own shim, mode all."""
    _sgdma(sim, "all", SG_PORT_TESTS, params={**PARAMS, "SG_PORT": 1})


# tests/hw/cocotb_hide_top.py under a mode, less two: test_gate_keeps_offered_request reads ARVALID on the
# wrapper's m_axi_cpu port, which is the shim's memory side (the DUT-side checker guards the DUT's
# ARVALID there), and test_table_full_backpressure counts stall cycles in a fixed window (timing)
HIDE_SUBSET = ("test_mm2s_sends_cpu_writes,test_s2mm_then_cpu_reads,test_cpu_access_stalls_until_unhide,"
               "test_split_store_lands_in_parts,test_nesting_two_descriptors_and_both_channels,"
               "test_modified_reports_written_pages,test_uncached_and_write_combining,test_against_xmemdma64,"
               "test_random_traffic,test_page_limit,test_abort_unhides_in_flight_pages")


@pytest.mark.slow
def test_hostile_cpu_gate(sim):
    """The hide unit's CPU gate (m_axi_cpu behind its shim) and both channels, mode all."""
    run("sgdma_tb", "cocotb_hide_top", sim=sim, parameters=HIDE_PARAMS, defines=HIDE_DEFINES, seed=4321,
        testcase=HIDE_SUBSET, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(HIDE_PARAMS), "SGDMA_HOSTILE": "all"})


@pytest.mark.slow
@pytest.mark.seed_variants(hostile=("none", *HOSTILE))
def test_hostile_regress(sim, seed, hostile):
    """The sgdma subset and the DDI flow under the mode drawn for this seed (make regress; the seed plan
    of tb/regress/seeds.py draws it from the seed and names it in the test id: `<sim>-<seed>-<mode>`)."""
    print(f"hostile mode {hostile} (drawn from seed {seed})")
    _sgdma(sim, hostile, SGDMA_SUBSET, seed=seed)
    _ddi(sim, hostile, seed=seed)

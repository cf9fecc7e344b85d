"""Protocol checkers (tb/hdl/checkers/*_checker.v): every rule's negative control and clean traffic.

One build per simulator (protocol_checkers_tb with FATAL=0) runs all the cocotb tests of
cocotb_protocol_checkers in one simulator invocation. A second, small test proves that FATAL=1 stops
the simulation with $fatal so that a violation fails the test on both simulators.
"""
from __future__ import annotations

import pytest

from tb.sim_runner import ROOT, checker_sources, harness, run, sgdma_tb_sources


def harness_sources():
    """The checkers and their standalone harness only (no RTL)."""
    return checker_sources() + [harness("protocol_checkers_tb")]


def test_protocol_checkers(sim):
    run("protocol_checkers_tb", "cocotb_protocol_checkers", sim=sim, sources=harness_sources())


@pytest.mark.parametrize("sim_fatal", [
    "icarus",
    # A second Verilator build costs ~20 s, so the default run only proves $fatal on Icarus.
    pytest.param("verilator", marks=pytest.mark.slow),
])
def test_fatal_stops_simulation(sim_fatal, capfd):
    """With FATAL=1 a violation ends the simulation with $fatal, which fails the pytest test."""
    from tb.sim_runner import simulator_missing

    reason = simulator_missing(sim_fatal)
    if reason:
        pytest.skip(reason)  # reason: simulator not installed on this machine (printed)
    # The simulator exits non-zero on $fatal: the runner raises RuntimeError (SystemExit under some
    # cocotb versions when it parses a results file with the failure).
    with pytest.raises((SystemExit, RuntimeError)):
        run("protocol_checkers_tb", "cocotb_protocol_checkers", sim=sim_fatal, sources=harness_sources(),
            parameters={"FATAL": 1}, testcase="test_rule_fires/case=axis_r01")
    assert "axis_checker: rule 1: TVALID dropped before TREADY" in capfd.readouterr().out


@pytest.mark.parametrize("sim_tb", [
    "icarus",
    # a Verilator build of the whole sgdma costs tens of seconds: long run only
    pytest.param("verilator", marks=pytest.mark.slow),
])
def test_sgdma_tb_elaborates(sim_tb):
    """The system-test toplevel builds with the RTL and its checkers stay quiet on an idle DUT."""
    from tb.sim_runner import simulator_missing

    reason = simulator_missing(sim_tb)
    if reason:
        pytest.skip(reason)  # reason: simulator not installed on this machine (printed)
    if not (ROOT / "hdl" / "sgdma.v").exists():
        pytest.skip("hdl/sgdma.v not written yet")  # reason: a checkout without the RTL
    run("sgdma_tb", "cocotb_protocol_checkers", sim=sim_tb, testcase="test_sgdma_tb_smoke",
        sources=sgdma_tb_sources())

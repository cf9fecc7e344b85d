"""Top-level sgdma regressions (cocotb, tests/hw/cocotb_sgdma.py) on Icarus and Verilator.

Quick set: one build configuration with every limit small enough to test at and past its value:
ADDR_WIDTH 40 (ADDR_RANGE), LEN_WIDTH 16 (LEN_RANGE), SEG_LOG2 16 (SEG_CROSS), ALIGN_LOG2 2 (MISALIGN),
SGL_MAX 4 (SGL_OVER). All cocotb tests run in one simulator invocation per simulator. The DUT is
tb/hdl/harness/sgdma_tb.v: sgdma with the protocol checkers on every interface ($fatal on a violation).
Slow set: other seeds, and the 32- and 128-bit data widths with a 64-bit address.
"""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import run, sgdma_tb_sources

SOURCES = sgdma_tb_sources()

PARAMS = {
    "DATA_WIDTH": 64, "ADDR_WIDTH": 40, "ID_WIDTH": 4, "LEN_WIDTH": 16, "MAX_BURST_LEN": 16,
    "MAX_OUTSTANDING": 4, "SGL_MAX": 4, "SEG_LOG2": 16, "ALIGN_LOG2": 2, "DATA_FIFO_DEPTH": 64,
    "SG_PORT": 0,   # the shared port (every test); test_sgdma_sg_port and the DDI tests run the default 1
}


def _run(sim: str, params: dict, testcase: str | None = None, seed: int | None = None):
    run("sgdma_tb", "cocotb_sgdma", sim=sim, parameters=params, testcase=testcase, seed=seed, sources=SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(params)})


def test_sgdma(sim):
    """All top-level tests (cocotb_sgdma.py docstrings list what each one proves)."""
    _run(sim, PARAMS)


SG_PORT_TESTS = "test_id_and_capabilities,test_sg_port,test_fault_injection"


def test_sgdma_sg_port(sim):
    """SG_PORT=1: descriptors and STATUS write-backs on m_axi_sg (an AxiRam sharing memory with the one on
    m_axi, same fault map), data alone on m_axi; a chain each way; faults injected on both masters."""
    _run(sim, {**PARAMS, "SG_PORT": 1}, testcase=SG_PORT_TESTS)


@pytest.mark.slow
def test_sgdma_sg_port_all(sim):
    """Every top-level test with SG_PORT=1."""
    _run(sim, {**PARAMS, "SG_PORT": 1})


@pytest.mark.slow
def test_sgdma_seeds(sim, seed):
    """The same tests under other seeds (backpressure patterns, offsets, lengths)."""
    _run(sim, PARAMS, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("data_width", [32, 128])
def test_sgdma_widths(sim, data_width):
    """Other data widths, 64-bit addresses, byte alignment, default segment (2**32) and length (24 bits)."""
    params = {"DATA_WIDTH": data_width, "ADDR_WIDTH": 64, "ID_WIDTH": 4, "LEN_WIDTH": 24, "MAX_BURST_LEN": 32,
              "MAX_OUTSTANDING": 4, "SGL_MAX": 4, "SEG_LOG2": 32, "ALIGN_LOG2": 0, "DATA_FIFO_DEPTH": 64}
    _run(sim, params, testcase=WIDTH_TESTS)


WIDTH_TESTS = ("test_id_and_capabilities,test_one_descriptor_each_way,test_chains_and_packets,"
               "test_tail_extension_and_stale,test_fault_injection,test_full_duplex_rate")

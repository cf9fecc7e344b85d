"""Launcher of tests/hw/cocotb_ddi_random.py: coverage-driven random DDI requests on the main
configuration of tests/hw/test_ddi.py (its build). Slow (make regress): it runs until its bins close or
DDI_RANDOM_REQUESTS requests (24) are spent."""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import run
from tests.hw.test_ddi import MAIN, STATS_FILE, TB_SOURCES


@pytest.mark.slow
def test_ddi_coverage_driven_random(sim, seed):
    """Constrained-random requests until the targeted functional bins are hit; prints what stayed open."""
    run("sgdma_tb", "cocotb_ddi_random", sim=sim, parameters=MAIN, seed=seed, sources=TB_SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(MAIN), "DDI_STATS_FILE": STATS_FILE})

"""Launcher of tests/hw/cocotb_ddi_random.py: coverage-driven random DDI requests on a configuration of
tests/hw/test_ddi.py (its builds) behind a hostile-interconnect mode (tb/hostile.py), both drawn per seed
by the seed plan (tb/regress/seeds.py) and named in the test id. Slow (make regress): it runs until its
bins close or DDI_RANDOM_REQUESTS requests (24) are spent."""
from __future__ import annotations

import json

import pytest

from tb.hostile import HOSTILE
from tb.sim_runner import run
from tests.hw.test_ddi import CONFIGS, STATS_FILE, TB_SOURCES


@pytest.mark.slow
@pytest.mark.seed_variants(config=("main", "small"), hostile=("none", *HOSTILE))
def test_ddi_coverage_driven_random(sim, seed, config, hostile):
    """Constrained-random requests until the targeted functional bins are hit; prints what stayed open."""
    params = CONFIGS[config]
    run("sgdma_tb", "cocotb_ddi_random", sim=sim, parameters=params, seed=seed, sources=TB_SOURCES,
        extra_env={"SGDMA_PARAMS": json.dumps(params), "DDI_STATS_FILE": STATS_FILE,
                   "SGDMA_HOSTILE": hostile})

"""sgdma_sg unit tests with a fake mover (tests/hw/cocotb_sg_engine.py), and the negative control of
the engine's SGDMA_ASSERTIONS invariants: a mover answering with a wrong tag must stop the run."""
from __future__ import annotations

import json

import pytest

from tb.sim_runner import run

PARAMS = {"DATA_WIDTH": 64, "ADDR_WIDTH": 32, "ID_WIDTH": 4, "AXI_ID": 1, "LEN_WIDTH": 16, "SGL_MAX": 4,
          "TAG_WIDTH": 3, "QUEUE_DEPTH": 8}
# descriptor prefetch: several fetch bursts of several descriptors and several STATUS writes in flight
PREFETCH = {**PARAMS, "DESC_PREFETCH": 3, "DESC_BURST": 4, "WB_OUTSTANDING": 3}


def _run(sim: str, bad_tag: bool, params: dict = PARAMS):
    run("sgdma_sg", "cocotb_sg_engine", sim=sim, parameters=params,
        extra_env={"SG_PARAMS": json.dumps(params), "FAKE_MOVER_BAD_TAG": "1" if bad_tag else "0"})


def test_sg_engine(sim):
    _run(sim, bad_tag=False)


def test_sg_engine_prefetch(sim):
    """The same unit tests with 3 fetch bursts of up to 4 descriptors and 3 STATUS writes in flight."""
    _run(sim, bad_tag=False, params=PREFETCH)


def test_sg_engine_assertion_fires(sim, capfd):
    """Negative control: the status-tag invariant ($fatal under SGDMA_ASSERTIONS) stops the simulation,
    with that invariant's own message (not some other failure)."""
    # $fatal ends the simulator with a non-zero status (RuntimeError from the runner) or, when it
    # exits cleanly, the failed cocotb test gives SystemExit
    with pytest.raises((SystemExit, RuntimeError)):
        _run(sim, bad_tag=True)
    out, err = capfd.readouterr()
    assert "sgdma_sg(1): status tag" in out + err, "the run failed, but not on the status-tag assertion"

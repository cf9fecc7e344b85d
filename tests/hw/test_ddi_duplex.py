"""Both channels in flight at once through the DDI flow: tests/hw/cocotb_ddi_duplex.py on the MAIN
configuration of tests/hw/test_ddi.py, on both transports (fast: tb/hdl/harness/sgdma_fast_tb.v;
per_beat: sgdma_tb with cocotbext-axi agents, in make regress) and both simulators."""
from __future__ import annotations

import pytest

from tests.hw.test_ddi import MAIN, _run


@pytest.mark.parametrize("transport", [
    "fast",
    # reason: the per-beat row runs the fast row's scenarios and negative controls again on the
    # reference transport (about 60 CPU-s on the two simulators): make regress
    pytest.param("per_beat", marks=pytest.mark.slow),
])
def test_ddi_duplex(sim, transport):
    """The overlap measure and its control, a corrupted byte on either channel while the other runs
    (caught on that channel's cookie), an error on one channel while the other completes."""
    _run(sim, MAIN, testcase=None, seed=1, transport=transport, module="cocotb_ddi_duplex")

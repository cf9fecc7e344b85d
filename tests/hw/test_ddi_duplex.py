"""Both channels in flight at once through the DDI flow: tests/hw/cocotb_ddi_duplex.py on the MAIN
configuration of tests/hw/test_ddi.py, on both transports (fast: tb/hdl/harness/sgdma_fast_tb.v;
per_beat: sgdma_tb with cocotbext-axi agents) and both simulators."""
from __future__ import annotations

import pytest

from tests.hw.test_ddi import MAIN, _run


@pytest.mark.parametrize("transport", ["fast", "per_beat"])
def test_ddi_duplex(sim, transport):
    """The overlap measure and its control, a corrupted byte on either channel while the other runs
    (caught on that channel's cookie), an error on one channel while the other completes."""
    _run(sim, MAIN, testcase=None, seed=1, transport=transport, module="cocotb_ddi_duplex")

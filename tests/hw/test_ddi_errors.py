"""Errors reach the driver: tests/hw/cocotb_ddi_errors.py (tb/env/ddi_errors.py) on the MAIN
configuration of tests/hw/test_ddi.py, both simulators. The quick suite runs it on the default (fast)
transport, where tb_axi_mem injects the bus errors (tb/fast_agents.HdlErrorMap); the per-beat
reference transport runs it in `make regress` (and its error path in the quick suite through
tests/hw/test_ddi_coherent.py, test_error_path_leaves_no_page_hidden)."""
from __future__ import annotations

import pytest

from tests.hw.test_ddi import MAIN, _run


@pytest.mark.parametrize("transport", ["fast", pytest.param("per_beat", marks=pytest.mark.slow)])
def test_ddi_errors(sim, transport):
    """Bus errors at every site, abort and soft reset mid-request, both channels; the cleanup checks
    and their negative control."""
    _run(sim, MAIN, seed=1, transport=transport, module="cocotb_ddi_errors")

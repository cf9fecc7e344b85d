"""tb/hdl/harness/sgdma_tb.v passes through exactly sgdma's parameters and ports (regenerate with
`.venv/bin/python -m tb.gen_sgdma_tb` when this fails)."""
from __future__ import annotations

import pytest

from tb.gen_sgdma_tb import OUT, RTL, generate


def test_sgdma_tb_matches_sgdma_ports():
    if not RTL.exists():
        pytest.skip("hdl/sgdma.v not written yet")  # reason: the RTL lands separately
    assert generate(RTL.read_text(), OUT.read_text()) == OUT.read_text(), (
        "tb/hdl/harness/sgdma_tb.v is out of date with hdl/sgdma.v: run .venv/bin/python -m tb.gen_sgdma_tb")


def test_generator_follows_a_new_port():
    """Negative control: a port added to sgdma appears in the wrapper's ports and instance."""
    rtl = RTL.read_text().replace("    output wire                        irq_s2mm",
                                  "    output wire                        irq_s2mm,\n"
                                  "    output wire                        irq_extra", 1)
    assert rtl != RTL.read_text()
    out = generate(rtl, OUT.read_text())
    assert out != OUT.read_text()
    assert "    output wire                        irq_extra," in out and ".irq_extra(irq_extra)" in out


def test_hide_port_checkers_current():
    """The hide-unit checker block in sgdma_tb.v is what the generator writes for sgdma's ports."""
    from tb.gen_sgdma_tb import with_hide_port_checkers

    if not RTL.exists():
        pytest.skip("hdl/sgdma.v not written yet")  # reason: the RTL lands separately
    text = OUT.read_text()
    assert with_hide_port_checkers(RTL.read_text(), text) == text, (
        "tb/hdl/harness/sgdma_tb.v hide-unit checkers are stale: run .venv/bin/python -m tb.gen_sgdma_tb")


def test_sgdma_fast_tb_current():
    """tb/hdl/harness/sgdma_fast_tb.v instantiates sgdma_tb with exactly its ports and parameters, as the
    generator writes them (make gen)."""
    from tb.gen_sgdma_tb import FAST_OUT, generate_fast

    text = FAST_OUT.read_text()
    assert generate_fast(OUT.read_text(), text) == text, (
        "tb/hdl/harness/sgdma_fast_tb.v is out of date with sgdma_tb.v: "
        "run .venv/bin/python -m tb.gen_sgdma_tb")


def test_fast_generator_follows_a_new_port():
    """Negative control: a port added to sgdma_tb gets a wire and a connection in sgdma_fast_tb, and a new
    hide-unit input is tied to 0."""
    from tb.gen_sgdma_tb import FAST_OUT, generate_fast

    anchor = "    output wire                        irq_s2mm,\n"
    tb = OUT.read_text()
    assert anchor in tb
    tb = tb.replace(anchor, anchor + "    output wire [3:0]                  irq_extra,\n"
                    "    input  wire                        s_maint_extra,\n", 1)
    out = generate_fast(tb, FAST_OUT.read_text())
    assert out != FAST_OUT.read_text()
    assert "wire [3:0] irq_extra;" in out and ".irq_extra(irq_extra)" in out
    assert "assign s_maint_extra = 0;" in out and ".s_maint_extra(s_maint_extra)" in out

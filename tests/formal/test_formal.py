"""Short SymbiYosys runs (part of `make test`; the full set is `make formal`, formal/run.py).

Each property set passes on the RTL at a small depth, and each has a negative control: a copy of one
RTL file with a small textual edit that breaks the protocol, which the same proof must reject with a
failed assertion of that property set. The broken copies live in the test's tmp_path only.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "formal"))
import run as formal  # noqa: E402  (formal/run.py)

pytestmark = pytest.mark.skipif(
    shutil.which("yowasp-sby", path=str(ROOT / ".venv" / "bin")) is None
    or shutil.which("yices-smt2", path=str(ROOT / ".venv" / "bin")) is None,
    reason="yowasp-sby or yices-smt2 not installed in .venv (requirements.txt; make setup)")

# (target, task, depth, RTL file, text in it, replacement, property file expected to fail)
BROKEN = {
    # AXI4-Lite slave: BVALID withdrawn when BREADY rises (VALID must stay until the handshake)
    "axil_bvalid_drop": ("regs", "bmc", 6, "sgdma_regs.v", "assign s_axil_bvalid  = bvalid_q && !rst;",
                         "assign s_axil_bvalid  = bvalid_q && !rst && !s_axil_bready;", "fv_axil_slave.v"),
    # AXI4 master: the arbiter no longer holds its grant while AR waits, so ARVALID/payload change
    "axi4_ar_unstable": ("rd_arb", "bmc", 6, "sgdma_axi_rd_arb.v",
                         "wire [1:0] grant = lock_q ? lock_idx_q : pick;", "wire [1:0] grant = pick;",
                         "fv_axi4_master.v"),
    # AXI4-Stream master: TLAST changes while the beat waits for TREADY
    "axis_tlast_unstable": ("mm2s", "bmc", 12, "sgdma_mm2s.v", "assign m_axis_tlast  = tlast_q;",
                            "assign m_axis_tlast  = tlast_q ^ !m_axis_tready;", "fv_axis.v"),
    # command/status handshake: the status payload changes while it waits for READY
    "handshake_sts_unstable": ("mm2s", "bmc", 12, "sgdma_mm2s.v",
                               "m_sts_eof} = m_sts_valid ? stsq_out : {STS_WIDTH{1'b0}};",
                               "m_sts_eof} = m_sts_valid ? stsq_out ^ {{(STS_WIDTH-1){1'b0}}, !m_sts_ready} "
                               ": {STS_WIDTH{1'b0}};", "fv_handshake.v"),
}


@pytest.mark.parametrize("target,depth", [("regs", 8), ("rd_arb", 6)])
def test_proof_passes(target, depth, tmp_path):
    result = formal.run_task(target, "bmc", depth=depth, build=tmp_path, timeout=300)
    assert result.status == "PASS", f"{target} bmc depth {depth}: {result.status} {result.failed}"
    assert result.asserts > 0 and result.assumes > 0


def test_cover_reaches_every_statement(tmp_path):
    result = formal.run_task("regs", "cover", build=tmp_path, timeout=300)
    assert result.status == "PASS", f"regs cover: {result.status} {result.failed}"
    assert result.covers >= 6


@pytest.mark.parametrize("case", list(BROKEN))
def test_negative_control_is_rejected(case, tmp_path):
    target, task, depth, rtl, old, new, props = BROKEN[case]
    text = (ROOT / "hdl" / rtl).read_text()
    assert text.count(old) == 1, f"{rtl}: the text to break is gone ({old!r}); update the control"
    broken = tmp_path / "broken" / rtl
    broken.parent.mkdir()
    broken.write_text(text.replace(old, new))
    result = formal.run_task(target, task, depth=depth, replace={rtl: broken}, build=tmp_path, timeout=300)
    assert result.status == "FAIL", f"{case}: the broken {rtl} was not rejected ({result.status})"
    assert any(props in f for f in result.failed), f"{case}: failed {result.failed}, expected {props}"


def test_bad_target_is_a_clear_error(capsys):
    assert formal.main(["nosuch"]) == 2
    assert "unknown target 'nosuch'" in capsys.readouterr().err

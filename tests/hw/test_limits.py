"""tb.limits on the simulated hardware: the SMALL configuration of tests/hw/test_ddi.py (LEN_WIDTH 13,
SEG_LOG2 13, SGL_MAX 4, ADDR_WIDTH 32: every limit reachable with small buffers; same build directory).

The attr a driver derives from the capability registers is safe on every field (exit 0: at each limit
accepted, just past it refused with the field's own error code); the count_max docs/sgdma.md used to
give (2**LEN_WIDTH-1) is the negative control: the tool finds the at-limit cookie refused (LEN_RANGE)
and exits 1. Each probe runs on both channels (S2MM and MM2S). With the hide unit (HIDE below) the seg
probes count pages. Each is one short simulation (a few seconds once the configuration is built).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tb.limits import ROOT, main

SMALL = {"DATA_WIDTH": 32, "ADDR_WIDTH": 32, "LEN_WIDTH": 13, "MAX_BURST_LEN": 16, "MAX_OUTSTANDING": 2,
         "SGL_MAX": 4, "SEG_LOG2": 13, "DATA_FIFO_DEPTH": 64}


def _limits(sim: str, capsys, *args: str, params: dict = SMALL) -> tuple[int, dict]:
    rc = main(["--params", json.dumps(params), "--sim", sim, "--json", *args])
    out = capsys.readouterr().out
    return rc, {r["field"]: r for r in json.loads(out)["rows"]}


def test_limits_hardware_attr_is_safe(sim, capsys):
    """attr_from_caps on every field: exit 0; the four hardware limits hold exactly (at: accepted,
    past: refused with the field's error code)."""
    rc, rows = _limits(sim, capsys)
    assert rc == 0, rows
    past_error = {"count_max": "LEN_RANGE", "seg": "SEG_CROSS", "sgllen": "SGL_OVER", "addr_hi": "ADDR_RANGE"}
    for name, err in past_error.items():
        row = rows[name]
        assert (row["at"]["status"], row["past"]["status"], row["past"]["detail"]) == (
            "accepted", "refused", err), row
        for ch in ("S2MM", "MM2S"):      # each channel's engine, probed on its own
            assert (row["at"]["channels"][ch]["status"], row["past"]["channels"][ch]) == (
                "accepted", {"status": "refused", "detail": err}), (ch, row)
        assert row["verdict"] == "safe"
    assert rows["count_max"]["declared"] == (1 << 13) - 2
    assert {r["verdict"] for r in rows.values()} <= {"safe", "n/a"}


def test_limits_docs_count_max_is_too_loose(sim, capsys):
    """Negative control: count_max = 2**LEN_WIDTH-1 lets the DDI make a 2**LEN_WIDTH-byte cookie; the
    hardware refuses it (LEN_RANGE) and the tool exits 1 naming count_max too loose."""
    docs_attr = json.dumps({"count_max": (1 << 13) - 1})
    rc, rows = _limits(sim, capsys, "--attr", docs_attr, "--fields", "count_max")
    assert rc == 1
    row = rows["count_max"]
    assert (row["at"]["status"], row["at"]["detail"], row["verdict"]) == ("refused", "LEN_RANGE", "too loose")
    assert row["at"]["goal"] == "a cookie of 0x2000 bytes"


LEN_CHECK = "wire lim_len     = (LEN_WIDTH < 32) && ((d_len >> LEN_WIDTH) != 0);"
LEN_CHECK_STRICTER = "wire lim_len     = (LEN_WIDTH < 32) && (d_len >= ((32'd1 << LEN_WIDTH) - 32'd1));"


@pytest.mark.slow
def test_limits_follow_the_hardware(sim):
    """Negative control on the DUT side: a copy of the RTL whose LEN_RANGE check is one byte stricter
    (refuses LENGTH 2**LEN_WIDTH-1) turns the driver's own count_max (safe on the real sgdma) into
    "too loose", exit 1: the verdict comes from the hardware run, not from the capabilities. Slow: the
    mutant is built for its own (SGDMA_HDL_DIR, SGDMA_BUILD_DIR, as scripts/mutate.py does)."""
    (ROOT / "build").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="limits_mutant_", dir=ROOT / "build"))  # sim_runner: inside ROOT
    hdl = work / "hdl"
    shutil.copytree(ROOT / "hdl", hdl)
    sg = hdl / "sgdma_sg.v"
    text = sg.read_text()
    assert text.count(LEN_CHECK) == 1, "hdl/sgdma_sg.v: the LEN_RANGE check changed; update this test"
    sg.write_text(text.replace(LEN_CHECK, LEN_CHECK_STRICTER))
    env = {**os.environ, "SGDMA_HDL_DIR": str(hdl), "SGDMA_BUILD_DIR": str(work / "sim")}
    cmd = [sys.executable, "-m", "tb.limits", "--params", json.dumps(SMALL), "--sim", sim, "--json",
           "--fields", "count_max"]
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert done.returncode == 1, (done.stdout, done.stderr)
    row = json.loads(done.stdout)["rows"][0]
    assert (row["at"]["status"], row["at"]["detail"], row["verdict"]) == ("refused", "LEN_RANGE", "too loose")


# the hide unit refuses a descriptor spanning more than HIDE_ENTRIES (4) pages; LEN_WIDTH 16 lets a cookie
# be longer than that, SEG_LOG2 16 keeps the hardware's own segment lines out of the way
HIDE = {**SMALL, "LEN_WIDTH": 16, "SEG_LOG2": 16, "HIDE_ENTRIES": 4}


def test_limits_with_the_hide_unit(sim, capsys):
    """HIDE_ENTRIES 4 (an empty processor cache answers the maintenance port): the driver's seg (4 pages)
    is safe on both channels (4 pages accepted, 5 across the line refused with LEN_RANGE); the
    negative controls: a seg of 8 pages puts a 5-page cookie inside one segment (refused, too loose), a
    seg of 2 pages leaves 3-page cookies the unit takes unused (too tight)."""
    rc, rows = _limits(sim, capsys, "--fields", "seg,sgllen,addr_hi", params=HIDE)
    assert rc == 0, rows
    seg = rows["seg"]
    assert seg["declared"] == 4 * 4096 - 1 and "hide unit: 4 pages" in seg["hardware"], seg
    for ch in ("S2MM", "MM2S"):
        assert (seg["at"]["channels"][ch]["status"], seg["past"]["channels"][ch]) == (
            "accepted", {"status": "refused", "detail": "LEN_RANGE"}), (ch, seg)
    assert {r["verdict"] for r in rows.values()} == {"safe"}, rows
    rc, rows = _limits(sim, capsys, "--fields", "seg", "--attr", json.dumps({"seg": 8 * 4096 - 1}),
                       params=HIDE)
    assert rc == 1, rows
    seg = rows["seg"]
    assert seg["at"]["goal"].startswith("a cookie of 5 pages"), seg
    assert (seg["at"]["status"], seg["at"]["detail"], seg["verdict"]) == ("refused", "LEN_RANGE", "too loose")
    # a seg of 2 pages: 3 pages across its line fit the unit on both channels, capacity left unused
    rc, rows = _limits(sim, capsys, "--fields", "seg", "--attr", json.dumps({"seg": 2 * 4096 - 1}),
                       params=HIDE)
    seg = rows["seg"]
    assert rc == 0 and (seg["at"]["status"], seg["past"]["status"], seg["verdict"]) == (
        "accepted", "accepted", "too tight"), seg


def test_limits_count_max_with_alignment(sim, capsys):
    """ALIGN_LOG2 2 (test_sgdma's build): the driver's count_max (count_max + 1 a multiple of 4) keeps the
    cookie after a split aligned: safe (past it, count_max + 2 bytes, the next cookie is misaligned);
    2**LEN_WIDTH-2, the negative control, makes the DDI start the next cookie at an odd address:
    refused (MISALIGN), too loose. The 64 KiB probes run on S2MM only (over MAX_MM2S)."""
    from tests.hw.test_sgdma import PARAMS as ALIGNED

    rc, rows = _limits(sim, capsys, "--fields", "count_max", params=ALIGNED)
    row = rows["count_max"]
    assert rc == 0 and row["declared"] == (1 << 16) - 4 - 1, row
    assert (row["at"]["channels"]["S2MM"]["status"], row["past"]["channels"]["S2MM"]) == (
        "accepted", {"status": "refused", "detail": "MISALIGN"}), row
    assert row["at"]["channels"]["MM2S"]["status"] == "not run", row     # 64 KiB: over MAX_MM2S
    docs = json.dumps({"count_max": (1 << 16) - 2})
    rc, rows = _limits(sim, capsys, "--fields", "count_max", "--attr", docs, params=ALIGNED)
    row = rows["count_max"]
    assert rc == 1 and (row["at"]["channels"]["S2MM"], row["verdict"]) == (
        {"status": "refused", "detail": "MISALIGN"}, "too loose"), row

"""`make demo` end to end on a small buffer (tb/demo.py): the fast transport passes with every beat
checked and draws its picture, and its negative control (one source byte corrupted during the run)
fails naming the beat. Slow: one more build of the demo's configuration per simulator."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tb.demo import launch


@pytest.mark.slow
def test_demo_fast_passes_and_its_negative_control_fails(sim, tmp_path):
    from tb.bus_plot import plot

    report = tmp_path / "report.json"
    assert launch(sim, 65536, 1, report=report, log=tmp_path / "ok.log")
    rep = json.loads(report.read_text())
    # R, stream and W beats of both directions: at least one per data word (unaligned cookies add some)
    assert rep["transport"] == "fast" and rep["beats_checked"] >= 3 * 65536 // rep["data_bytes"], rep
    assert plot(Path(rep["trace"]), rep["data_bytes"] * 8, tmp_path / "bus.png").stat().st_size > 1000
    bad = tmp_path / "bad.json"
    assert not launch(sim, 65536, 1, inject=True, report=bad, log=tmp_path / "bad.log")
    assert "(wrong data)" in (tmp_path / "bad.log").read_text(errors="replace")

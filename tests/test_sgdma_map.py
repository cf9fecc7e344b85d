"""The register map / descriptor layout has one source of truth: hdl/sgdma_map.json."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import gen_sgdma_map  # noqa: E402


def test_generated_files_match_the_json():
    """hdl/sgdma_defs.vh and docs/sgdma_map.md are regenerated from the JSON (`make gen`)."""
    rc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_sgdma_map.py"), "--check"],
                        capture_output=True, text=True)
    assert rc.returncode == 0, rc.stderr


def test_check_detects_a_stale_header(tmp_path, monkeypatch):
    """Negative control: a header that differs from the JSON is reported."""
    stale = tmp_path / "sgdma_defs.vh"
    stale.write_text(gen_sgdma_map.render_vh(gen_sgdma_map.load()).replace("32'h53470100", "32'h0"))
    monkeypatch.setattr(gen_sgdma_map, "VH", stale)
    assert gen_sgdma_map.main(["--check"]) == 1


def _overlaps(fields):
    used = set()
    for f in fields:
        bits = set(range(f["lsb"], f["lsb"] + f["width"]))
        if bits & used or max(bits) > 31:
            return f["name"]
        used |= bits
    return None


def test_layout_is_consistent():
    m = json.loads((ROOT / "hdl" / "sgdma_map.json").read_text())
    d = m["descriptor"]
    offsets = [w["offset"] for w in d["words"]]
    assert offsets == list(range(0, d["bytes"], 4))
    assert _overlaps(d["control"]) is None and _overlaps(d["status"]) is None
    for r in m["channel_regs"] + m["global_regs"]:
        assert _overlaps(r.get("fields", [])) is None, r["name"]
    ch = [r["offset"] for r in m["channel_regs"]]
    assert len(set(ch)) == len(ch) and max(ch) < m["channels"][1]["base"]
    codes = [e["value"] for e in m["errors"]]
    assert sorted(codes) == list(range(len(codes))) and max(codes) < 16


def test_overlap_detector_fires():
    """Negative control for the consistency check above."""
    assert _overlaps([{"name": "A", "lsb": 0, "width": 4}, {"name": "B", "lsb": 3, "width": 1}]) == "B"


def test_channel_decode_from_the_access_column():
    """The register decode in hdl/sgdma_defs.vh comes from the map: writable offsets are the rw, rw1c
    and wo registers, SR's W1C mask the fields marked w1c, reset values where the map declares them."""
    m = gen_sgdma_map.load()
    vh = gen_sgdma_map.render_vh(m)
    regs = {r["name"]: r for r in m["channel_regs"]}
    writable = [r["offset"] for r in m["channel_regs"] if r["access"] in ("rw", "rw1c", "wo")]
    line = next(x for x in vh.splitlines() if x.startswith("`define SGDMA_CH_WRITABLE(off)"))
    assert sorted(int(o) for o in re.findall(r"6'd(\d+)", line)) == sorted(writable)
    w1c = sum(1 << f["lsb"] for f in regs["SR"]["fields"] if f.get("w1c"))
    assert w1c and f"`define SGDMA_CH_SR_W1C_MASK 32'h{w1c:08x}" in vh
    assert "`define SGDMA_CH_CR_RESET 32'h00000000" in vh


def test_channel_decode_refuses_w1c_outside_rw1c():
    """Negative control: a write-1-to-clear field on a register that is not rw1c is an error."""
    regs = [{"name": "CR", "offset": 0, "access": "rw",
             "fields": [{"name": "X", "lsb": 0, "width": 1, "w1c": True, "doc": ""}]}]
    with pytest.raises(SystemExit, match="W1C fields but access rw"):
        gen_sgdma_map._channel_decode(regs)

"""The register map / descriptor layout has one source of truth: hdl/sgdma_map.json."""
import json
import subprocess
import sys
from pathlib import Path

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

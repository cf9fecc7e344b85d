"""Coverage tooling without a simulator: tb/coverage.py bins and export, tb/coverage_report.py merging
(Verilator .dat and functional databases), waivers, holes, and its command line."""
from __future__ import annotations

import json

import pytest

from tb import coverage as fcov
from tb import coverage_report as cr


def _dat(entries):
    """A Verilator coverage file: entries (file, line, page, comment, hier, count)."""
    out = ["# SystemC::Coverage-3"]
    for f, ln, page, o, h, n in entries:
        key = "\x01".join(f"{k}\x02{v}" for k, v in (("f", f), ("l", ln), ("n", 4), ("page", page), ("o", o),
                                                         ("h", h)))
        out.append(f"C '\x01{key}' {n}")
    return "\n".join(out) + "\n"


RTL = "/x/hdl/m.v"


def test_parse_dat_sums_instances_and_keeps_kinds():
    text = _dat([(RTL, 5, "v_line/m", "block", "top.a", 0), (RTL, 5, "v_line/m", "block", "top.b", 3),
                 (RTL, 6, "v_toggle/m", "q[0]:0->1", "top.a", 0), ("/x/tb/hdl/chk.v", 1, "v_line/c", "block",
                                                                     "top", 0)])
    pts = cr.parse_dat(text)
    assert pts[(RTL, 5, "line", "block@4")] == 3
    assert pts[(RTL, 6, "toggle", "q[0]:0->1@4")] == 0
    assert cr.is_rtl(RTL) and not cr.is_rtl("/x/tb/hdl/chk.v")


def test_summary_counts_holes_and_applies_waivers(tmp_path):
    src = tmp_path / "hdl" / "m.v"
    src.parent.mkdir()
    src.write_text("module m;\n  a <= b;\n  default: state <= IDLE; // unreachable\n  c <= d;\nendmodule\n")
    pts = {(str(src), 2, "line", "block@1"): 4, (str(src), 3, "line", "block@1"): 0,
           (str(src), 4, "branch", "if@1"): 0, (str(src), 2, "toggle", "a[0]:0->1@1"): 0,
           (str(src), 2, "toggle", "id[1]:0->1@1"): 0}
    waivers = {"code": [{"file": "m.v", "line": "default: state <= IDLE", "reason": "no other state"},
                        {"file": "m.v", "signal": r"id\[\d+\]", "reason": "constant ID"}]}
    s = cr.summarise_code(pts, waivers)
    assert s.files["m.v"]["line"] == [1, 2]          # line 3 waived, line 4 a hole
    assert s.files["m.v"]["toggle"] == [0, 1]
    assert s.holes["line"] == [("m.v", 4, "if: c <= d;")]
    assert {(w[1], w[4]) for w in s.waived} == {(3, "no other state"), (2, "constant ID")}
    # negative control: without the waivers the same points are holes
    bare = cr.summarise_code(pts, {})
    assert bare.files["m.v"]["line"] == [1, 3] and len(bare.holes["toggle"]) == 2


def test_functional_merge_sums_across_databases_and_names_holes(tmp_path):
    for i, hits in enumerate(({"a": 1, "b": 0}, {"a": 2, "b": 0})):
        db = {"tag": str(i), "coverpoints": {"cp": hits, "x": {"y": i}}}
        (tmp_path / f"{i}.json").write_text(json.dumps(db))
    merged, n = cr.merge_functional(tmp_path)
    assert n == 2 and merged == {"cp": {"a": 3, "b": 0}, "x": {"y": 1}}
    holes, waived, hit, counted = cr.functional_holes(merged, {})
    assert holes == [("cp", "b")] and (hit, counted) == (2, 3)
    holes, waived, hit, counted = cr.functional_holes(merged, {"bins": [{"coverpoint": "cp", "bin": "b",
                                                                          "reason": "cannot"}]})
    assert holes == [] and waived == [("cp", "b", "cannot")] and (hit, counted) == (2, 2)
    text = cr.report(None, merged, n, {}, 0)
    assert text.index("## Holes") < text.index("`cp` bin `b`") < text.index("## Functional coverage, every")


def test_coverage_bins_per_width():
    assert [fcov._length_bin(n, 8) for n in (1, 7, 8, 9, 128, 129, 4095, 4096, 4097)] == [
        "1", "sub_beat", "one_beat", "few_beats", "few_beats", "long", "long", "4KiB", "over_4KiB"]
    assert [fcov._align_bin(a, 16) for a in (0x100, 0x105, 0x10F)] == ["aligned", "mid", "last_lane"]
    assert [fcov._end_bin(e, 4) for e in (8, 9, 10)] == ["aligned", "first_lane", "mid"]
    assert [fcov._count_bin(n, 4) for n in (1, 2, 3, 4, 5)] == ["1", "2", "3..top-1", "top", "over_top"]


def test_sampled_descriptor_lands_in_its_bins_and_exports(tmp_path):
    before = fcov.snapshot()
    fcov.configure({"DATA_WIDTH": 128})
    fcov.sample_descriptor(0x1FFF, 2, 0b11)           # last lane, straddles 4 KiB, one-descriptor packet
    after = fcov.snapshot()

    def delta(cp, b):
        return after[cp][b] - before[cp][b]
    assert delta("sgdma.desc.start_align", "last_lane") == 1
    assert delta("sgdma.desc.straddles_4k", "True") == 1
    assert delta("sgdma.desc.align_x_length_x_width", "last_lane x sub_beat x 128") == 1
    assert delta("sgdma.packet.descriptors", "1") == 1
    assert delta("sgdma.desc.start_align", "aligned") == 0    # and nothing else
    path = fcov.export(tmp_path)
    merged, n = cr.merge_functional(tmp_path)
    assert n == 1 and path.exists() and merged["sgdma.desc.data_width"]["128"] >= 1


def test_configuration_takes_sgdma_defaults_for_absent_parameters():
    """A build that leaves SG_PORT to sgdma's default (1) is sampled as SG_PORT 1, whatever the
    environment before it configured (the 128-bit builds once counted as SG_PORT 0)."""
    from tb.sim_runner import sgdma_defaults
    fcov.configure({"DATA_WIDTH": 32, "SG_PORT": 0})
    before = fcov.snapshot()["sgdma.config.width_x_sg_port"]
    fcov.configure({"DATA_WIDTH": 128})
    after = fcov.snapshot()["sgdma.config.width_x_sg_port"]
    want = f"128 x {sgdma_defaults()['SG_PORT']}"
    assert after[want] - before[want] == 1, (before, after)


def test_command_line_without_data(tmp_path, capsys):
    assert cr.main(["--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coverage_report: no coverage data") and len(err.splitlines()) == 1


def _bins():
    return {cp: list(b) for cp, b in fcov.snapshot().items()}


def test_waivers_name_real_bins_and_lines():
    """Every waiver in tests/coverage_waivers.json has a reason and names an existing bin or RTL line."""
    assert cr.waiver_problems(cr.load_waivers(), _bins(), cr.ROOT / "hdl") == []


@pytest.mark.parametrize("waiver, problem", [
    ({"bins": [{"coverpoint": "sgdma.nothing", "bin": "x", "reason": "r"}]}, "no such bin"),
    ({"bins": [{"coverpoint": "sgdma.desc.data_width", "bin": "64", "reason": ""}]}, "no reason"),
    ({"code": [{"file": "sgdma.v", "line": "no such text anywhere", "reason": "r"}]}, "no line contains"),
    ({"code": [{"file": "nothing.v", "signal": "x", "reason": "r"}]}, "no such file"),
    ({"code": [{"file": "sgdma.v", "signal": "no_such_signal\\[\\d+\\]", "reason": "r"}]},
     "no signal of the file matches"),
])
def test_waiver_check_fires(waiver, problem):
    """Negative control of test_waivers_name_real_bins_and_lines."""
    assert any(problem in p for p in cr.waiver_problems(waiver, _bins(), cr.ROOT / "hdl"))


def test_regression_summary_shows_coverage_beside_beats(tmp_path, capsys):
    """tb/summary.py --coverage adds the merged figures under the beats checked."""
    from tb import summary
    xml = tmp_path / "r.xml"
    xml.write_text('<testsuite><testcase classname="tests.hw.test_x" name="test_y[verilator]" time="1"/>'
                   "</testsuite>")
    (tmp_path / "cov").mkdir()
    report = "# Coverage report\n\n- Code (...): line 9/10\n- Functional: 3/4\n"
    (tmp_path / "cov" / "report.md").write_text(report)
    assert summary.main([str(xml), "--stats", str(tmp_path / "none"), "--out", str(tmp_path / "s.md"),
                         "--coverage", str(tmp_path / "cov")]) == 0
    out = capsys.readouterr().out
    assert out.index("beats checked") < out.index("coverage: Code (...): line 9/10") < out.index(
        "coverage: Functional: 3/4")


def test_docs_keep_the_hand_written_analysis(tmp_path, monkeypatch):
    (tmp_path / "func").mkdir()
    (tmp_path / "func" / "a.json").write_text(json.dumps({"tag": "a", "coverpoints": {"cp": {"x": 1}}}))
    doc = tmp_path / "coverage.md"
    doc.write_text(f"old head\n{cr.NOTES}\nwhy the holes are holes\n{cr.NOTES_END}\nold report\n")
    monkeypatch.setattr(cr, "WAIVERS", tmp_path / "none.json")
    assert cr.main(["--dir", str(tmp_path), "--docs", str(doc)]) == 0
    text = doc.read_text()
    assert "why the holes are holes" in text and "old report" not in text and "old head" not in text
    assert text.index(cr.NOTES_END) < text.index("## Holes")


def test_same_rtl_under_two_paths_counts_once(tmp_path):
    a, b = tmp_path / "x" / "hdl" / "m.v", tmp_path / "y" / "hdl" / "m.v"
    for p in (a, b):
        p.parent.mkdir(parents=True)
        p.write_text("module m;\n  a <= b;\nendmodule\n")
    pts = {(str(a), 2, "line", "block@1"): 0, (str(b), 2, "line", "block@1"): 5}
    s = cr.summarise_code(pts, {})
    assert s.files["m.v"]["line"] == [1, 1] and not s.holes


def test_summary_runs_as_the_makefile_calls_it(tmp_path):
    """`make regress` and `make coverage` end with `$(PY) -m tb.summary ...`: as a script path
    (python tb/summary.py) its `from tb...` imports failed with ModuleNotFoundError after the whole run."""
    import subprocess
    import sys
    makefile = (cr.ROOT / "Makefile").read_text()
    calls = [ln for ln in makefile.splitlines() if "summary" in ln and "$(PY)" in ln]
    assert calls and all("-m tb.summary" in ln for ln in calls), calls
    xml = tmp_path / "r.xml"
    xml.write_text('<testsuite><testcase classname="tests.hw.test_x" name="test_y[verilator]" time="1"/>'
                   "</testsuite>")
    proc = subprocess.run([sys.executable, "-m", "tb.summary", str(xml), "--out", str(tmp_path / "s.md")],
                          cwd=cr.ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "s.md").exists()

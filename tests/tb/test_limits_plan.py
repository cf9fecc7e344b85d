"""tb.limits without a simulator: bad input (exit 2, one line), the planner's buffers put the cookies
where each probe says, and the verdict rules. The hardware runs are in tests/hw/test_limits.py."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pyddi_model import ddi_dma_attr_t
from tb import limits
from tb.ddi_driver import S2MM, IoRequest, attr_from_caps, new_machine, user_buffer
from tb.limits import Planner, Probe, Result, Row, caps_of, main, parse_params, verdict

ROOT = Path(__file__).resolve().parents[2]
SMALL = {"DATA_WIDTH": 32, "ADDR_WIDTH": 32, "LEN_WIDTH": 13, "MAX_BURST_LEN": 16, "MAX_OUTSTANDING": 2,
         "SGL_MAX": 4, "SEG_LOG2": 13, "DATA_FIFO_DEPTH": 64}


@pytest.mark.parametrize("argv, message", [
    (["--params", "{bad"], "not valid JSON"),
    (["--params", '{"FOO": 1}'], "unknown sgdma parameter 'FOO'"),
    (["--params", '{"LEN_WIDTH": 30}'], "outside what sgdma accepts"),
    (["--params", '{"DATA_FIFO_DEPTH": 48}'], "power of two"),
    (["--params", '{"HIDE_ENTRIES": 300}'], "outside what sgdma accepts"),
    (["--params", "/nonexistent/params.json"], "neither a JSON object nor a readable file"),
    (["--attr", "[1]"], "expected a JSON object"),
    (["--attr", '{"cnt": 1}'], "unknown field 'cnt'"),
    (["--attr", '{"count_max": "x"}'], "not an integer"),
    (["--attr", '{"sgllen": true}'], "not an integer"),
    (["--attr", '{"addr_hi": 0}'], "ddi_dma_alloc_handle would refuse it"),
    (["--attr", '{"sgllen": 0}'], "sgllen 0 is reserved"),
    (["--fields", "count_max,nope"], "unknown field(s) nope"),
    (["--sim", "vcs"], "invalid choice"),
    (["--seed", "x"], "invalid int value"),
])
def test_bad_input_exits_2_with_one_line(argv, message, capsys):
    """Every unusable input: exit status 2, one line on stderr naming the problem, no traceback, no
    simulation started."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("limits: ") and message in err, err
    assert "Traceback" not in err


def test_attr_from_a_file_and_hex_strings(tmp_path):
    """A file holding the attr, full or short field names, numbers or "0x..." strings."""
    f = tmp_path / "attr.json"
    f.write_text(json.dumps({"dma_attr_count_max": "0x1ffe", "sgllen": 4}))
    assert limits.parse_attr(limits._load_json(str(f), "--attr")) == {
        "dma_attr_count_max": 0x1FFE, "dma_attr_sgllen": 4}


def _bind(machine, ddi, probe: Probe):
    """Bind the probe's buffer as the hardware run does (S2MM disk read) and return window 0."""
    va, npages = user_buffer(ddi, probe.nbytes, probe.off, frames=probe.frames)
    req = IoRequest(ddi, ddi.curproc, va, npages, probe.off, probe.nbytes, S2MM, ddi_dma_attr_t(**probe.attr))
    return req.window(0)


LOOSE = {"dma_attr_count_max": 8191, "dma_attr_seg": 0x3FFF, "dma_attr_sgllen": 5, "dma_attr_granular": 512,
         "dma_attr_minxfer": 4, "dma_attr_addr_lo": 0x2000_0000, "dma_attr_addr_hi": 0x7FFF_FFFF}


@pytest.mark.parametrize("attr", [{}, LOOSE], ids=["hardware", "loose"])
def test_planner_puts_each_cookie_at_its_limit(attr):
    """For the attr derived from the capabilities and for a deliberately wrong one, every probe the
    planner can place, bound through pyddi_model under its own attr, gives exactly the cookie, window or
    list it names (the probe's check); the wrong attr's at-limit probes are the looser cookies."""
    params, _given = parse_params(SMALL)
    caps = caps_of(params)
    machine, ddi = new_machine(1, contiguity=0.0)
    planner = Planner(machine, caps, limits.declared_attr(caps, attr))
    rows = planner.rows(list(limits.FIELDS))
    placed = 0
    for row in rows:
        for probe in (row.at, row.past):
            if probe.frames is None:
                continue
            win = _bind(machine, ddi, probe)
            assert probe.check(win.cookies, win.length) is None, (row.field, probe.which, win.cookies)
            placed += 1
    assert placed >= 10
    by = {r.field: r for r in rows}
    if attr:
        assert by["count_max"].at.goal == "a cookie of 0x2000 bytes"
        assert by["sgllen"].at.goal == "one window of 5 cookies in one packet"
        assert by["seg"].at.goal.startswith("one cookie across")


HIDE = {**SMALL, "LEN_WIDTH": 16, "SEG_LOG2": 16, "HIDE_ENTRIES": 4}


@pytest.mark.parametrize("seg, at_pages, past_pages", [(None, 4, 5), (0x7FFF, 5, None)],
                         ids=["hardware", "loose"])
def test_planner_seg_under_the_hide_unit(seg, at_pages, past_pages):
    """With the hide unit (HIDE_ENTRIES 4: a descriptor spans at most 4 pages) the seg probes are about
    pages: at the limit a cookie filling the declared segment (4 pages; a looser seg: 5 pages, which the
    unit refuses, so nothing past it), past it 5 pages across the line; bound through pyddi_model each
    gives exactly that cookie."""
    caps = caps_of(parse_params(HIDE)[0])
    machine, ddi = new_machine(1, contiguity=0.0)
    attr = {} if seg is None else {"dma_attr_seg": seg}
    row = Planner(machine, caps, limits.declared_attr(caps, attr)).row_seg()
    assert row.own_errors == ("LEN_RANGE",) and "hide unit: 4 pages per cookie" in row.hardware
    win = _bind(machine, ddi, row.at)
    assert row.at.check(win.cookies, win.length) is None and win.cookies[-1][1] == at_pages * 4096
    if past_pages is None:
        assert row.past.result == Result("n/a")
    else:
        win = _bind(machine, ddi, row.past)
        assert row.past.check(win.cookies, win.length) is None and win.cookies[0][1] == past_pages * 4096
    # the unit's refusal (LEN_RANGE) at the limit makes seg too loose, not count_max
    row.at.result, row.past.result = Result("refused", "LEN_RANGE"), Result("n/a")
    assert verdict(row) == "too loose"


ALIGNED = {**SMALL, "DATA_WIDTH": 64, "ADDR_WIDTH": 40, "LEN_WIDTH": 16, "SEG_LOG2": 16, "ALIGN_LOG2": 2}


@pytest.mark.parametrize("count_max, second", [(None, 0), (0xFFFE, 3)], ids=["driver", "unrounded"])
def test_planner_count_max_with_alignment(count_max, second):
    """On hardware that needs 4-byte aligned buffers the count_max probe is a run one alignment longer
    than the cookie, so the DDI's split puts the next cookie in it: aligned under the driver's count_max
    (count_max + 1 a multiple of 4), at an odd address under 2**LEN_WIDTH-2 (the hardware refuses it:
    MISALIGN, which the row owns)."""
    caps = caps_of(parse_params(ALIGNED)[0])
    machine, ddi = new_machine(1, contiguity=0.0)
    attr = {} if count_max is None else {"dma_attr_count_max": count_max}
    row = Planner(machine, caps, limits.declared_attr(caps, attr)).row_count_max()
    assert row.own_errors == ("MISALIGN",)
    win = _bind(machine, ddi, row.at)
    assert row.at.check(win.cookies, win.length) is None
    assert win.cookies[1][0] % 4 == second, win.cookies


def test_planner_checks_fire_on_the_wrong_cookies():
    """Negative control of the probe checks: a bind under the hardware's attr of a count_max probe meant
    for a looser attr does not give the cookie it names (the check says what it got)."""
    params, _given = parse_params(SMALL)
    caps = caps_of(params)
    machine, ddi = new_machine(1, contiguity=0.0)
    loose = Planner(machine, caps, limits.declared_attr(caps, {"dma_attr_count_max": 8191})).row_count_max()
    loose.at.attr = {f: int(getattr(attr_from_caps(caps), f)) for f in limits.ATTR_FIELDS}
    win = _bind(machine, ddi, loose.at)
    assert loose.at.check(win.cookies, win.length) == "largest cookie 0x1fff"


def _row(at: Result, past: Result, field="count_max", fallback="") -> Row:
    return Row(field, 0, "", Probe(field, "at", "", result=at), Probe(field, "past", "", result=past),
               fallback=fallback)


@pytest.mark.parametrize("at, past, fallback, want", [
    (Result("accepted"), Result("refused", "LEN_RANGE"), "", "safe"),
    (Result("accepted"), Result("n/a"), "", "safe"),
    (Result("refused", "LEN_RANGE"), Result("n/a"), "", "too loose"),
    (Result("refused", "SGL_OVER"), Result("n/a"), "", "too loose (sgllen)"),
    (Result("accepted"), Result("accepted"), "", "too tight"),
    (Result("not reached", "windows end first"), Result("n/a"), "", "safe"),
    (Result("not run", "beyond memory"), Result("n/a"), "too loose", "too loose (capabilities)"),
    (Result("not run", "in use"), Result("n/a"), "", "not run"),
    (Result("n/a"), Result("n/a"), "", "n/a"),
])
def test_verdicts(at, past, fallback, want):
    """The verdict of a field from its two probes; only "too loose ..." makes the exit status 1."""
    row = _row(at, past, fallback=fallback)
    row.verdict = verdict(row)
    assert row.verdict == want
    assert limits.exit_status([row]) == (1 if want.startswith("too loose") else 0)


@pytest.mark.parametrize("at, past, want", [
    ({"S2MM": "accepted", "MM2S": "accepted"}, {"S2MM": "refused", "MM2S": "refused"}, "safe"),
    ({"S2MM": "accepted", "MM2S": "refused"}, {"S2MM": "refused", "MM2S": "n/a"}, "too loose"),
    ({"S2MM": "accepted", "MM2S": "accepted"}, {"S2MM": "accepted", "MM2S": "refused"}, "safe"),
    ({"S2MM": "accepted", "MM2S": "accepted"}, {"S2MM": "accepted", "MM2S": "accepted"}, "too tight"),
    ({"S2MM": "accepted", "MM2S": "not run"}, {"S2MM": "accepted", "MM2S": "n/a"}, "too tight"),
    ({"S2MM": "accepted", "MM2S": "not run"}, {"S2MM": "refused", "MM2S": "n/a"}, "safe"),
])
def test_verdicts_over_both_channels(at, past, want):
    """Each channel's engine checks the limits: too loose on either channel is too loose; too tight
    needs every channel that ran to accept past the limit; a channel not run does not count. The table
    cell shows one result when the channels agree, each channel's otherwise."""
    def probe(which, results):
        res = {ch: Result(st, "LEN_RANGE" if st == "refused" else "") for ch, st in results.items()}
        return Probe("count_max", which, "", result=limits.summary(res), results=res)
    row = Row("count_max", 0, "", probe("at", at), probe("past", past))
    assert verdict(row) == want
    cell = limits._cell(row.at)
    if len(set(at.values())) == 1:
        assert cell == next(iter(at.values()))
    else:
        assert cell.startswith("differs: S2MM ") and "; MM2S " in cell, cell
    back = limits.rows_from_json(limits.rows_to_json([row]))[0]
    assert back.at.results == row.at.results and verdict(back) == want


def test_docs_agree_with_the_tool_on_count_max():
    """docs/sgdma.md gives the count_max that tb.limits finds safe (2**LEN_WIDTH-2; 2**LEN_WIDTH-1 is
    refused with LEN_RANGE: tests/hw/test_limits.py), and so does the driver (attr_from_caps)."""
    text = (ROOT / "docs" / "sgdma.md").read_text()
    assert re.search(r"`dma_attr_count_max` = 2\*\*LEN_WIDTH-2", text), "docs/sgdma.md count_max"
    caps = caps_of(parse_params(SMALL)[0])
    assert attr_from_caps(caps).dma_attr_count_max == (1 << 13) - 2

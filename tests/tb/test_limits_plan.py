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
    (["--params", '{"HIDE_ENTRIES": 4}'], "without its hide unit"),
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


def test_docs_agree_with_the_tool_on_count_max():
    """docs/sgdma.md gives the count_max that tb.limits finds safe (2**LEN_WIDTH-2; 2**LEN_WIDTH-1 is
    refused with LEN_RANGE: tests/hw/test_limits.py), and so does the driver (attr_from_caps)."""
    text = (ROOT / "docs" / "sgdma.md").read_text()
    assert re.search(r"`dma_attr_count_max` = 2\*\*LEN_WIDTH-2", text), "docs/sgdma.md count_max"
    caps = caps_of(parse_params(SMALL)[0])
    assert attr_from_caps(caps).dma_attr_count_max == (1 << 13) - 2

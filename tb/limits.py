"""limits: a driver's ddi_dma_attr run at and just past every field on the simulated sgdma.

    python -m tb.limits [--params JSON|FILE] [--attr JSON|FILE] [--fields f1,f2] [--sim verilator|icarus]
                        [--seed N] [--json]
    make limits PARAMS='{"LEN_WIDTH": 13}' ATTR='{"count_max": 8191}'

Input: the sgdma configuration (its Verilog parameters, default the toplevel's defaults) and the
attr the driver declares (``dma_attr_*`` or short field names; missing fields are what the driver
derives from the capability registers, tb/ddi_driver.attr_from_caps). For every field the tool
binds user buffers through pyddi_model under the declared attr so that a cookie (or a window, or a
scatter/gather list) sits exactly at the declared limit, and under the attr loosened by one step so
that it sits just past it; each bind becomes one packet on each channel of the simulated hardware
(CHANNELS: each channel's engine checks its own limits; the descriptor checks come before any data
moves; on S2MM a short stream packet keeps even a 16 MiB cookie cheap, on MM2S the whole buffer
moves, so probes over MAX_MM2S run on S2MM only). With the hide unit (HIDE_ENTRIES > 0) the seg
probes count pages (a descriptor may span at most HIDE_ENTRIES); with ALIGN_LOG2 > 0 the count_max
probe carries the cookie after the DDI's split, which must start aligned too. The table says, per
field: the declared value, the hardware's (from the capability registers), what the hardware did at
and past the limit (one result when the channels agree, each channel's otherwise), and the verdict:

  safe        the hardware accepts the cookie at the limit and refuses the one past it (or nothing
              lies past it);
  too loose   the DDI can produce, under this attr, a cookie the hardware refuses (on either channel);
  too tight   the hardware also accepts the cookie past the limit (on every channel that ran it):
              capacity left unused.

Exit status 0 when no field is too loose, 1 when one is, 2 on bad input (one line on stderr),
3 when the simulation itself failed. ``--json`` prints the rows as JSON.

The planning (this module) needs no simulator; tb/limits_hw.py is the cocotb test that runs the
probes in the DDI environment (tb/env/ddi.py) and writes their results back.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pyddi_model import ddi_dma_attr_t  # noqa: E402
from pyddi_model.dma import ATTR_FIELDS, check_attr  # noqa: E402
from tb.ddi_driver import Caps, attr_from_caps  # noqa: E402

PAGE = 4096
LOW = 0x1000_0000            # probes not tied to an address start here (above the frames tests favour)
LENGTH_WORD = 1 << 32        # the descriptor's LENGTH word is 32 bits wide
SHORT = 64                   # bytes of the stream packet sent into each accepted S2MM probe
MAX_SEARCH = 20000           # candidate positions tried when placing a buffer
MAX_PROBE = 16 << 20         # the longest window or transfer probed (a 2**24-1 cookie fits)
MAX_MM2S = 32 << 10          # an accepted MM2S probe moves its whole buffer: longer ones are not run
CHANNELS = ("S2MM", "MM2S")  # every probe runs on both: each channel's engine checks its own limits

FIELDS = ("addr_lo", "addr_hi", "count_max", "align", "seg", "sgllen", "maxxfer", "granular", "minxfer",
          "burstsizes")
SHORT_NAMES = {f[len("dma_attr_"):]: f for f in ATTR_FIELDS}

# sgdma's parameters (tb/hdl/harness/sgdma_tb.v) and the ranges its elaboration checks (docs/sgdma.md)
PARAM_RANGES = {
    "DATA_WIDTH": (32, 64, 128), "ADDR_WIDTH": range(32, 65), "LEN_WIDTH": range(1, 25),
    "MAX_BURST_LEN": range(1, 257), "MAX_OUTSTANDING": range(1, 256), "SGL_MAX": range(1, 129),
    "SEG_LOG2": range(12, 65), "ALIGN_LOG2": range(0, 13), "DATA_FIFO_DEPTH": None,
    "USER_WIDTH": range(1, 33), "HIDE_ENTRIES": range(0, 257), "SG_PORT": (0, 1), "ID_WIDTH": range(2, 17),
}
DEFAULT_PARAMS = {"DATA_WIDTH": 64, "ADDR_WIDTH": 64, "LEN_WIDTH": 24, "MAX_BURST_LEN": 64,
                  "MAX_OUTSTANDING": 4, "SGL_MAX": 16, "SEG_LOG2": 32, "ALIGN_LOG2": 0,
                  "DATA_FIFO_DEPTH": 256, "HIDE_ENTRIES": 0}

# the field whose limit each refusal code (docs/sgdma.md, "Limits") enforces
ERROR_FIELD = {"LEN_RANGE": "count_max", "SEG_CROSS": "seg", "SGL_OVER": "sgllen", "ADDR_RANGE": "addr_hi",
               "MISALIGN": "align"}

EXIT_SAFE, EXIT_TOO_LOOSE, EXIT_BAD_INPUT, EXIT_SIM_FAILED = 0, 1, 2, 3


class BadInputError(ValueError):
    """Input the tool cannot use (the message is the one line printed)."""


# ---------------------------------------------------------------------------------------------
# input
# ---------------------------------------------------------------------------------------------
def _load_json(text: str, what: str) -> dict:
    """A JSON object given inline or as a file name."""
    src = text
    if not text.lstrip().startswith(("{", "[")):
        path = Path(text)
        if not path.is_file():
            raise BadInputError(f"{what}: {text!r} is neither a JSON object nor a readable file")
        src = path.read_text()
    try:
        value = json.loads(src)
    except json.JSONDecodeError as e:
        raise BadInputError(f"{what}: not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    if not isinstance(value, dict):
        raise BadInputError(f"{what}: expected a JSON object, got {type(value).__name__}")
    return value


def _int_value(v, what: str) -> int:
    if isinstance(v, bool):
        raise BadInputError(f"{what}: {v!r} is not an integer")
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            pass
    raise BadInputError(f"{what}: {v!r} is not an integer (use a number or a string like \"0x1fff\")")


def parse_params(obj: dict | None) -> tuple[dict[str, int], dict[str, int]]:
    """sgdma parameters: known names, integers, in the ranges elaboration accepts. Returns (every
    parameter the capabilities depend on, the ones given: only those are passed to the simulator, so
    a configuration the regression already built is not built again)."""
    params, given = dict(DEFAULT_PARAMS), {}
    for name, raw in (obj or {}).items():
        if name not in PARAM_RANGES:
            known = ", ".join(sorted(PARAM_RANGES))
            raise BadInputError(f"params: unknown sgdma parameter {name!r} (known: {known})")
        value = _int_value(raw, f"params.{name}")
        allowed = PARAM_RANGES[name]
        if allowed is not None and value not in allowed:
            lo, hi = min(allowed), max(allowed)
            raise BadInputError(f"params.{name} = {value} is outside what sgdma accepts ({lo}..{hi})")
        params[name] = given[name] = value
    depth, burst = params["DATA_FIFO_DEPTH"], params["MAX_BURST_LEN"]
    if depth & (depth - 1) or depth < 2 * burst:
        raise BadInputError(f"params.DATA_FIFO_DEPTH = {depth} must be a power of two >= 2*MAX_BURST_LEN "
                            f"({2 * burst})")
    return params, given


def caps_of(params: dict[str, int]) -> Caps:
    """What the capability registers report for these parameters (CAP0..CAP2, docs/sgdma_map.md)."""
    return Caps(data_bytes=params["DATA_WIDTH"] // 8, addr_width=params["ADDR_WIDTH"],
                len_width=params["LEN_WIDTH"], align_log2=params["ALIGN_LOG2"],
                max_burst_len=params["MAX_BURST_LEN"], max_outstanding=params["MAX_OUTSTANDING"],
                seg_log2=params["SEG_LOG2"], sgl_max=params["SGL_MAX"], hide_entries=params["HIDE_ENTRIES"])


def parse_attr(obj: dict | None) -> dict[str, int]:
    """The declared fields (full ``dma_attr_*`` names), checked as ddi_dma_alloc_handle would."""
    out = {}
    for name, raw in (obj or {}).items():
        full = name if name in ATTR_FIELDS else SHORT_NAMES.get(name)
        if full is None:
            raise BadInputError(f"attr: unknown field {name!r} (ddi_dma_attr(9S) fields: "
                           f"{', '.join(sorted(SHORT_NAMES))})")
        out[full] = _int_value(raw, f"attr.{name}")
    return out


def declared_attr(caps: Caps, overrides: dict[str, int]) -> ddi_dma_attr_t:
    """attr_from_caps (granular 1: the DMA's own) with the driver's fields; refused as the model's
    ddi_dma_alloc_handle refuses it (man-page rules)."""
    attr = attr_from_caps(caps)
    for name, value in overrides.items():
        setattr(attr, name, value)
    why = check_attr(attr, PAGE, illumos=False)
    if why:
        raise BadInputError(f"attr: ddi_dma_alloc_handle would refuse it: {why}")
    return attr


def parse_fields(text: str | None) -> list[str]:
    if not text:
        return list(FIELDS)
    names = [f.strip() for f in text.split(",") if f.strip()]
    bad = [f for f in names if f not in FIELDS]
    if bad or not names:
        raise BadInputError(f"--fields: unknown field(s) {', '.join(bad) or '(none given)'} "
                            f"(choose from {', '.join(FIELDS)})")
    return names


# ---------------------------------------------------------------------------------------------
# probes: buffers whose cookies sit at or just past a limit
# ---------------------------------------------------------------------------------------------
@dataclass
class Result:
    """What happened to one probe: accepted / refused (error name) / not reached / not run."""

    status: str
    detail: str = ""


@dataclass
class Probe:
    """One bind put on the hardware (``frames`` None: nothing to run, ``result`` says why)."""

    field: str
    which: str                      # "at" or "past"
    goal: str                       # the cookie, window or list wanted, in words
    attr: dict = field(default_factory=dict)   # the attr bound with (dma_attr_* -> int)
    frames: list[int] | None = None
    off: int = 0
    nbytes: int = 0
    check: object = None            # (cookies, window length) -> None when the goal is met, else why
    result: Result | None = None    # planned (not reached / not run / n/a) or both channels' summary
    results: dict = field(default_factory=dict)   # channel -> Result of the run on that channel


@dataclass
class Row:
    field: str
    declared: int
    hardware: str
    at: Probe
    past: Probe
    note: str = ""
    verdict: str = ""
    fallback: str = ""              # the verdict from the capabilities when the at-limit probe cannot run
    own_errors: tuple = ()          # refusal codes of other fields that enforce this one (the hide unit)


def _fmt(v: int) -> str:
    return f"{v:#x}" if v > 9 else str(v)


class Planner:
    """Builds the probes of each field for a declared attr, on a machine's free frames."""

    def __init__(self, machine, caps: Caps, attr: ddi_dma_attr_t):
        self.m, self.caps, self.attr = machine, caps, attr
        self.hw_top = (1 << caps.addr_width) - 1
        self.mem_top = machine.phys_bytes - 1
        self.hw_seg = None if caps.seg_log2 >= 64 else 1 << caps.seg_log2
        self.hide = caps.hide_entries  # the hide unit refuses a descriptor over this many pages (LEN_RANGE)
        self.next_low = LOW

    # ---- helpers
    def attr_with(self, **fields) -> dict:
        a = {f: int(getattr(self.attr, f)) for f in ATTR_FIELDS}
        for k, v in fields.items():
            a[f"dma_attr_{k}"] = v
        return a

    def frames_at(self, addr: int, nbytes: int) -> tuple[list[int], int] | None:
        """The frames of a buffer whose first byte is at physical ``addr`` (None: not free / no memory)."""
        if addr < PAGE or addr + nbytes - 1 > self.mem_top:
            return None
        first = addr // PAGE
        n = (addr % PAGE + nbytes + PAGE - 1) // PAGE
        if not self.m.frames_are_free(first, n):
            return None
        return list(range(first, first + n)), addr % PAGE

    def place(self, nbytes: int, lines: list[int], top: int, lo: int = 0) -> tuple[list[int], int] | None:
        """A physically contiguous, page-aligned buffer of ``nbytes`` at or above the next free low
        address and ``lo``, crossing no multiple of any of ``lines``, last byte <= ``top``."""
        addr = max(self.next_low, (lo + PAGE - 1) // PAGE * PAGE)
        for _ in range(MAX_SEARCH):
            end = addr + nbytes - 1
            if end > top:
                return None
            cut = [(end // ln) * ln for ln in lines if addr // ln != end // ln]
            if cut:
                addr = max(cut)
                continue
            got = self.frames_at(addr, nbytes)
            if got is not None:
                self.next_low = addr + ((nbytes + 2 * PAGE - 1) // PAGE) * PAGE   # a page gap after it
                return got
            addr += PAGE
        return None

    def scattered(self, npages: int, top: int, lo: int = 0) -> list[int] | None:
        """``npages`` free frames at or above ``lo``, no two adjacent (each page its own cookie)."""
        frames, addr = [], max(self.next_low, (lo + PAGE - 1) // PAGE * PAGE)
        while len(frames) < npages:
            if addr + PAGE - 1 > top:
                return None
            if self.m.frames_are_free(addr // PAGE, 1):
                frames.append(addr // PAGE)
            addr += 2 * PAGE
        self.next_low = addr + PAGE
        return frames

    def low_top(self, attr: dict) -> int:
        return min(attr["dma_attr_addr_hi"], self.hw_top, self.mem_top)

    def lines(self, attr: dict) -> list[int]:
        """Segment lines a probe not about seg must not cross (declared and hardware)."""
        out = [attr["dma_attr_seg"] + 1] if attr["dma_attr_seg"] + 1 < 1 << 64 else []
        return out + ([self.hw_seg] if self.hw_seg else [])

    def contiguous(self, probe: Probe, nbytes: int, avoid_lines: bool = True) -> Probe:
        """A physically contiguous buffer for the probe; with ``avoid_lines`` it crosses no segment line
        (so the cookie at the limit is not cut there, nor refused for a reason of another field)."""
        lines = self.lines(probe.attr) if avoid_lines else []
        short = [ln for ln in lines if ln < nbytes]
        if short:
            probe.result = Result("not reached", f"longer than a segment ({_fmt(min(short))} bytes)")
            return probe
        got = self.place(nbytes, lines, self.low_top(probe.attr), probe.attr["dma_attr_addr_lo"])
        if got is None:
            probe.result = Result("not run", f"no free contiguous {nbytes}-byte run below the limits")
        else:
            probe.frames, probe.off = got
            probe.nbytes = nbytes
        return probe

    def at_address(self, probe: Probe, addr: int, nbytes: int, top: int | None = None) -> Probe:
        """The probe's buffer at physical ``addr``; with ``top``, it must also end at or below it."""
        if top is not None and addr + nbytes - 1 > top:
            probe.result = Result("not reached", f"{addr:#x} lies above addr_hi or the address width")
            return probe
        got = self.frames_at(addr, nbytes)
        if got is None:
            where = "beyond the simulated memory" if addr + nbytes - 1 > self.mem_top else "in use"
            probe.result = Result("not run", f"{addr:#x} is {where}")
        else:
            probe.frames, probe.off = got
            probe.nbytes = nbytes
        return probe

    @staticmethod
    def no_past(fld: str, why: str) -> Probe:
        return Probe(fld, "past", "-", result=Result("n/a", why))

    # ---- the fields
    def rows(self, fields: list[str]) -> list[Row]:
        return [getattr(self, f"row_{f}")() for f in fields]

    def row_count_max(self) -> Row:
        a, hw = self.attr.dma_attr_count_max, attr_from_caps(self.caps).dma_attr_count_max
        size = a + 1
        note = ""
        if size > self.caps.max_length + 1:   # one byte over LENGTH proves what a bigger cookie would
            size = self.caps.max_length + 1
            note = f"at-limit probe {_fmt(size)} bytes (<= count_max+1: the DDI may produce it)"
        # hardware that needs aligned buffers: a buf bind splits a longer run every count_max+1 bytes
        # (and ignores dma_attr_align), so the probe is that cookie and the start of the next one,
        # which must be aligned too (MISALIGN otherwise)
        align = 1 << self.caps.align_log2
        tail = "" if align == 1 else ", then the next cookie"
        at = Probe("count_max", "at", f"a cookie of {_fmt(size)} bytes{tail}", self.attr_with())
        at.check = lambda cookies, wl: None if any(s == size for _, s in cookies) else \
            f"largest cookie {max(s for _, s in cookies):#x}"
        if size >= LENGTH_WORD:
            at.result = Result("refused", "does not fit the 32-bit LENGTH word")
        else:
            self.first_cookie(at, size, align)
        past = Probe("count_max", "past", f"a cookie of {_fmt(a + 2)} bytes{tail}",
                     self.attr_with(count_max=a + 1))
        past.check = lambda cookies, wl: None if any(s == a + 2 for _, s in cookies) else \
            f"largest cookie {max(s for _, s in cookies):#x}"
        if a + 2 >= LENGTH_WORD:
            past.result = Result("refused", "does not fit the 32-bit LENGTH word")
        elif size == a + 1:
            self.first_cookie(past, a + 2, align)
        else:
            past = self.no_past("count_max", "")
        how = "2**LEN_WIDTH-2" if align == 1 else "2**LEN_WIDTH-1 down to 2**ALIGN_LOG2, -1"
        return Row("count_max", a, f"{_fmt(hw)} ({how})", at, past, note,
                   own_errors=("MISALIGN",) if align > 1 else ())

    def first_cookie(self, probe: Probe, size: int, align: int) -> Probe:
        """A contiguous buffer whose first cookie is ``size`` bytes: exactly that (align 1), or with
        ``align`` bytes more, started on a segment line when it cannot avoid crossing one, so that
        the DDI's split after the first cookie is in it."""
        if align == 1:
            return self.contiguous(probe, size)
        nbytes = size + align
        lines = self.lines(probe.attr)
        top, lo = self.low_top(probe.attr), probe.attr["dma_attr_addr_lo"]
        got = self.place(nbytes, lines, top, lo)
        if got is not None:
            probe.frames, probe.off = got
            probe.nbytes = nbytes
            return probe
        if not lines:
            probe.result = Result("not run", f"no free contiguous {nbytes}-byte run below the limits")
            return probe
        line = min(lines)
        addr = -(-max(self.next_low, lo, PAGE) // line) * line
        self.next_low = addr + ((nbytes + 2 * PAGE - 1) // PAGE) * PAGE
        return self.at_address(probe, addr, nbytes, top)

    def row_seg(self) -> Row:
        s = self.attr.dma_attr_seg
        hw = self.hw_seg
        hw_txt = "none" if hw is None else _fmt(hw - 1) + " (2**SEG_LOG2-1)"
        line = s + 1
        half = min(64, line // 2)
        top = self.low_top(self.attr_with())
        if self.hide and (hw is None or line <= hw):
            row = self.seg_with_hide(line, top)
            row.hardware = f"{hw_txt}; hide unit: {self.hide} pages per cookie"
            return row
        if line >= 1 << 64:
            at = Probe("seg", "at", "-", result=Result("not reached", "no segment line"))
            past = self.no_past("seg", "no segment line")
            if hw is not None:   # every hardware line lies inside the one declared segment
                at = Probe("seg", "at", "a cookie across a hardware line", self.attr_with())
                cross = ((self.next_low + PAGE) // hw + 1) * hw
                self.next_low = max(self.next_low, cross + 2 * PAGE)
                at.check = lambda cookies, wl: None if any(x < cross < x + n for x, n in cookies) else "split"
                self.at_address(at, cross - 64, 128, top)
            return Row("seg", s, hw_txt, at, past)
        if hw is not None and line > hw:
            # a hardware line inside a declared segment: the DDI keeps a cookie across it
            cross = ((self.next_low + PAGE) // hw + 1) * hw
            while cross % line == 0:
                cross += hw
            self.next_low = max(self.next_low, cross + 2 * PAGE)
            at = Probe("seg", "at", f"one cookie across {cross:#x} (inside a declared segment)",
                       self.attr_with())
            at.check = lambda cookies, wl: None if any(x < cross < x + n for x, n in cookies) else "split"
            self.at_address(at, cross - half, 2 * half, top)
            past = self.no_past("seg", "")
            return Row("seg", s, hw_txt, at, past)
        k = (self.next_low + PAGE) // line + 1
        k += k % 2                       # an even multiple: the past probe takes the odd one after it
        edge, far = k * line, (k + 1) * line
        self.next_low = max(self.next_low, far + 2 * PAGE)
        at = Probe("seg", "at", f"a cookie ending at the declared line {edge:#x}", self.attr_with())
        at.check = lambda cookies, wl: None if any(x + n == edge for x, n in cookies) else "no end there"
        self.at_address(at, edge - half, 2 * half, top)
        looser = self.attr_with(seg=2 * line - 1)
        past = Probe("seg", "past", f"one cookie across the declared line {far:#x}", looser)
        past.check = lambda cookies, wl: None if any(x < far < x + n for x, n in cookies) else "split there"
        self.at_address(past, far - half, 2 * half, self.low_top(looser))
        return Row("seg", s, hw_txt, at, past)

    def seg_with_hide(self, line: int, top: int) -> Row:
        """seg under the hide unit, which refuses a descriptor spanning more than HIDE_ENTRIES pages
        (LEN_RANGE, docs/sgdma_hide.md): the at-limit cookie fills the declared segment up to its line
        (at most HIDE_ENTRIES + 1 pages: more proves nothing more); the past one, under seg doubled,
        runs one page across the line."""
        s, pages = self.attr.dma_attr_seg, self.hide + 1
        size = line if line < (1 << 64) else pages * PAGE
        size = min(size, pages * PAGE)
        row = Row("seg", s, "", None, None, own_errors=("LEN_RANGE",))
        if line >= 1 << 64:
            row.at = Probe("seg", "at", f"one cookie of {pages} pages (no segment line)", self.attr_with())
            row.at.check = lambda cookies, wl: None if any(n == size for _, n in cookies) else "split"
            self.contiguous(row.at, size)
            row.past = self.no_past("seg", "no segment line")
            return row
        k = (self.next_low + line) // line + 1
        k += k % 2                       # an even multiple: the past probe takes the odd one after it
        edge, far = k * line, (k + 1) * line
        self.next_low = max(self.next_low, far + 2 * PAGE)
        row.at = Probe("seg", "at", f"a cookie of {size // PAGE} pages ending at the declared line "
                       f"{edge:#x}", self.attr_with())
        row.at.check = lambda cookies, wl: None if any(x + n == edge and n == size for x, n in cookies) \
            else "no such cookie"
        self.at_address(row.at, edge - size, size, top)
        if size < line:                  # the at-limit cookie already spans more pages than the unit takes
            row.past = self.no_past("seg", "")
            return row
        looser = self.attr_with(seg=2 * line - 1)
        row.past = Probe("seg", "past", f"one cookie of {line // PAGE + 1} pages across the declared line "
                         f"{far:#x}", looser)
        row.past.check = lambda cookies, wl: None if any(x < far < x + n for x, n in cookies) else \
            "split there"
        self.at_address(row.past, far - line, line + PAGE, self.low_top(looser))
        return row

    def row_sgllen(self) -> Row:
        n, hw = self.attr.dma_attr_sgllen, self.caps.sgl_max
        note = ""
        count = n
        if n < 0 or n > hw + 1:
            count = hw + 1
            bound = "unlimited" if n < 0 else "<= sgllen"
            note = f"at-limit probe {count} cookies ({bound}: the DDI may produce it)"
        at = Probe("sgllen", "at", f"one window of {count} cookies in one packet", self.attr_with())
        at.check = lambda cookies, wl: None if len(cookies) == count else f"{len(cookies)} cookies"
        past = Probe("sgllen", "past", f"one window of {count + 1} cookies", self.attr_with(sgllen=count + 1))
        past.check = lambda cookies, wl: None if len(cookies) == count + 1 else f"{len(cookies)} cookies"
        for p, k in ((at, count), (past, count + 1)):
            if p is past and count != n:
                continue
            frames = self.scattered(k, self.low_top(p.attr), p.attr["dma_attr_addr_lo"])
            if frames is None:
                p.result = Result("not run", f"no {k} free frames below the limits")
            else:
                p.frames, p.nbytes = frames, k * PAGE
        if count != n:
            past = self.no_past("sgllen", "")
        return Row("sgllen", n, str(hw) + " (SGL_MAX)", at, past, note)

    def row_addr_hi(self) -> Row:
        h = self.attr.dma_attr_addr_hi
        at = Probe("addr_hi", "at", f"a cookie whose last byte is {h:#x}", self.attr_with())
        at.check = lambda cookies, wl: None if any(x + n - 1 == h for x, n in cookies) else "bounced or split"
        self.at_address(at, h + 1 - 64, 64)
        looser = self.attr_with(addr_hi=min(h + 4096, (1 << 64) - 1))
        past = Probe("addr_hi", "past", f"a cookie at {h + 1:#x}", looser)
        past.check = lambda cookies, wl: None if any(x == h + 1 for x, _ in cookies) else "bounced"
        if h + 1 >= 1 << 64:
            past = self.no_past("addr_hi", "nothing above 2**64-1")
        else:
            self.at_address(past, h + 1, 64)
        fallback = "too loose" if h > self.hw_top else "safe"
        return Row("addr_hi", h, _fmt(self.hw_top) + " (2**ADDR_WIDTH-1)", at, past, fallback=fallback)

    def row_addr_lo(self) -> Row:
        lo = self.attr.dma_attr_addr_lo
        start = max(lo, PAGE)   # frame 0 is reserved by the machine
        at = Probe("addr_lo", "at", f"a cookie starting at {start:#x}", self.attr_with())
        at.check = lambda cookies, wl: None if any(x == start for x, _ in cookies) else "bounced"
        self.at_address(at, start, 64)
        if lo < PAGE + 64:
            past = self.no_past("addr_lo", "nothing below it")
        else:
            past = Probe("addr_lo", "past", f"a cookie at {lo - 64:#x}", self.attr_with(addr_lo=lo - 64))
            past.check = lambda cookies, wl: None if any(x == lo - 64 for x, _ in cookies) else "bounced"
            self.at_address(past, lo - 64, 64)
        return Row("addr_lo", lo, "0x0", at, past)

    def row_align(self) -> Row:
        al, hw = self.attr.dma_attr_align, 1 << self.caps.align_log2
        # ddi_dma_attr(9S): dma_attr_align applies to allocated memory (ddi_dma_mem_alloc) only: a bound
        # user buffer may start at any byte, so the least aligned cookie the DDI gives is byte aligned.
        a = self.attr_with()
        odd = self.place(1 + 64, self.lines(a), self.low_top(a), a["dma_attr_addr_lo"])
        at = Probe("align", "at", "a cookie at an odd address (buf binds ignore align)", self.attr_with())
        at.check = lambda cookies, wl: None if cookies[0][0] % 2 else "even address"
        if odd is None:
            at.result = Result("not run", "no free frames")
        else:
            at.frames, at.off, at.nbytes = odd[0], 1, 64
        past = self.no_past("align", "nothing finer than a byte")
        note = "ddi_dma_attr(9S): dma_attr_align applies to allocated memory only"
        if hw > 1:
            note += (f"; a bound user buffer may start at any byte, so the driver must copy or refuse "
                     f"buffers not aligned to {hw}")
        return Row("align", al, f"{_fmt(hw)} (2**ALIGN_LOG2)", at, past, note)

    def transfer(self, fld: str, which: str, attr: dict, length: int, what: str = "a transfer",
                 extra: int = 0, avoid_lines: bool = True) -> Probe:
        """A probe whose window 0 must be ``length`` bytes: a contiguous buffer of ``length + extra``
        (at most 16 MiB: beyond, the probe is not run)."""
        p = Probe(fld, which, f"{what} of {_fmt(length)} bytes", attr)
        p.check = lambda cookies, wl: None if wl == length else f"window of {wl:#x} bytes"
        if length + extra > MAX_PROBE:
            p.result = Result("not run", "over 16 MiB")
            return p
        return self.contiguous(p, length + extra, avoid_lines)

    def row_maxxfer(self) -> Row:
        mx, g = self.attr.dma_attr_maxxfer, max(self.attr.dma_attr_granular, 1)
        length = mx - mx % g
        cap = (1 << self.caps.len_width) - 1
        hw = f"none (a packet: SGL_MAX x {_fmt(cap)})"
        if length > MAX_PROBE:
            at = Probe("maxxfer", "at", f"a window of {_fmt(length)} bytes", result=Result(
                "not reached", "windows end first"))
            return Row("maxxfer", mx, hw, at, self.no_past("maxxfer", ""),
                       "not probed over 16 MiB: windows end at sgllen x (count_max+1) bytes first")
        # a longer buffer than the window, cut into cookies at the segment lines as the DDI does
        at = self.transfer("maxxfer", "at", self.attr_with(), length, "a window", PAGE, avoid_lines=False)
        looser = self.attr_with(maxxfer=length + g)
        past = self.transfer("maxxfer", "past", looser, length + g, "a window", PAGE, avoid_lines=False)
        return Row("maxxfer", mx, hw, at, past)

    def row_granular(self) -> Row:
        g = self.attr.dma_attr_granular
        at = self.transfer("granular", "at", self.attr_with(), g)
        if g <= 1:
            past = self.no_past("granular", "any byte count")
        else:
            past = self.transfer("granular", "past", self.attr_with(granular=1), g + 1,
                                 "a transfer (not a multiple)")
        return Row("granular", g, "1 (any byte count)", at, past)

    def row_minxfer(self) -> Row:
        mn = self.attr.dma_attr_minxfer
        at = self.transfer("minxfer", "at", self.attr_with(), max(mn, 1))
        if mn <= 1:
            past = self.no_past("minxfer", "no empty transfer")
        else:
            past = self.transfer("minxfer", "past", self.attr_with(minxfer=mn - 1), mn - 1)
        return Row("minxfer", mn, "1 (ZERO_LEN below)", at, past)

    def row_burstsizes(self) -> Row:
        b = self.attr.dma_attr_burstsizes
        at = Probe("burstsizes", "at", "-", result=Result("n/a"))
        return Row("burstsizes", b, f"{self.caps.data_bytes}-byte beats", at, self.no_past("burstsizes", ""),
                   f"cookies do not depend on burstsizes; sgdma issues its own INCR bursts "
                   f"(up to {self.caps.max_burst_len} beats)")


# ---------------------------------------------------------------------------------------------
# verdicts and the table
# ---------------------------------------------------------------------------------------------
def channel_results(probe: Probe) -> dict[str, Result]:
    """The probe's result per channel run (a probe planned not to run: its one result)."""
    return dict(probe.results) or {"": probe.result}


def summary(results: dict[str, Result]) -> Result | None:
    """One result for the table: the common one, or each channel's."""
    vals = list(results.values())
    if not vals or any(v is None for v in vals):
        return None
    if all(v == vals[0] for v in vals):
        return vals[0]
    return Result("differs", "; ".join(f"{ch} {_result_text(r)}" for ch, r in results.items()))


def verdict(row: Row) -> str:
    """The field's verdict on every channel: too loose on any channel is too loose; too tight only when
    every channel run accepts past the limit; a channel that could not run does not count."""
    ats, pasts = channel_results(row.at), channel_results(row.past)
    per = [_verdict(row, r, pasts.get(ch, row.past.result)) for ch, r in ats.items()]
    loose = [v for v in per if v.startswith("too loose")]
    if loose:
        return loose[0]
    ran = [v for v in per if v not in ("not run", "n/a")] or per
    if all(v == "too tight" for v in ran):
        return "too tight"
    return "safe" if "safe" in ran else ran[0]


def _verdict(row: Row, at: Result | None, past: Result | None) -> str:
    if at is None or past is None:
        return "not run"
    if at.status == "not run" and row.fallback:
        return f"{row.fallback} (capabilities)"
    if at.status == "refused":
        other = ERROR_FIELD.get(at.detail)
        if at.detail in row.own_errors:
            other = row.field
        return "too loose" if other in (None, row.field) else f"too loose ({other})"
    if at.status == "accepted":
        if past.status == "accepted":
            return "too tight"
        return "safe"
    if at.status == "not reached":
        return "safe"
    return at.status          # n/a, not run


def _result_text(r: Result) -> str:
    return f"{r.status}" + (f": {r.detail}" if r.detail else "")


def _cell(p: Probe) -> str:
    r = p.result
    return "?" if r is None else _result_text(r)


def table(rows: list[Row]) -> str:
    head = ("field", "declared", "hardware", "at limit", "past limit", "verdict")
    body = [(r.field, str(r.declared) if r.field == "sgllen" else _fmt(r.declared), r.hardware, _cell(r.at),
             _cell(r.past), r.verdict) for r in rows]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(x, widths, strict=True)).rstrip() for x in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r.field}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + (["notes:"] + notes if notes else []))


def rows_to_json(rows: list[Row]) -> list[dict]:
    out = []
    for r in rows:
        d = {"field": r.field, "declared": r.declared, "hardware": r.hardware, "verdict": r.verdict,
             "note": r.note, "fallback": r.fallback}
        for p in (r.at, r.past):
            d[p.which] = {"goal": p.goal, **(asdict(p.result) if p.result else {"status": "?"}),
                          "channels": {ch: asdict(res) for ch, res in p.results.items()}}
        out.append(d)
    return out


def rows_from_json(items: list[dict]) -> list[Row]:
    rows = []
    for d in items:
        probes = [Probe(d["field"], w, d[w]["goal"], result=Result(d[w]["status"], d[w].get("detail", "")),
                        results={ch: Result(**r) for ch, r in d[w].get("channels", {}).items()})
                  for w in ("at", "past")]
        rows.append(Row(d["field"], d["declared"], d["hardware"], *probes, note=d["note"],
                        verdict=d["verdict"], fallback=d.get("fallback", "")))
    return rows


def exit_status(rows: list[Row]) -> int:
    return EXIT_TOO_LOOSE if any(r.verdict.startswith("too loose") for r in rows) else EXIT_SAFE


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message):      # one line, exit 2 (argparse prints usage first otherwise)
        raise BadInputError(message)


def parse_args(argv):
    ap = _Parser(prog="python -m tb.limits", description=__doc__.split("\n\n")[0],
                 epilog="Exit status: 0 safe, 1 too loose, 2 bad input, 3 the simulation failed.")
    ap.add_argument("--params", help="sgdma parameters: a JSON object or a file holding one")
    ap.add_argument("--attr", help="the driver's ddi_dma_attr: a JSON object (dma_attr_* or short names) "
                                   "or a file")
    ap.add_argument("--fields", help=f"comma-separated subset of {','.join(FIELDS)} (default: all)")
    ap.add_argument("--sim", default="verilator", choices=("verilator", "icarus"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    return ap.parse_args(argv)


def prepare(args) -> tuple[dict, dict, dict, list[str]]:
    """Validated (all params, params given, attr overrides, fields); BadInputError on anything unusable."""
    params, given = parse_params(_load_json(args.params, "--params") if args.params else None)
    overrides = parse_attr(_load_json(args.attr, "--attr") if args.attr else None)
    declared_attr(caps_of(params), overrides)          # refused attrs are bad input
    return params, given, overrides, parse_fields(args.fields)


def run_on_hardware(params: dict, overrides: dict, fields: list[str], sim: str, seed: int) -> list[Row]:
    """One simulation (tb/limits_hw.py) of every probe; the rows with their results."""
    from tb.sim_runner import BUILD, run, sgdma_tb_sources

    work = BUILD / "limits"
    work.mkdir(parents=True, exist_ok=True)
    out = work / f"rows-{os.getpid()}.json"
    log = work / f"sim-{os.getpid()}.log"
    out.unlink(missing_ok=True)
    request = {"attr": overrides, "fields": fields, "out": str(out)}
    saved = os.dup(1), os.dup(2)
    with open(log, "w") as f:        # the simulator's own output goes to the log, the table to stdout
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
        try:
            run("sgdma_tb", "tb.limits_hw", sim=sim, parameters=params, seed=seed, sources=sgdma_tb_sources(),
                extra_env={"LIMITS_REQUEST": json.dumps(request), "SGDMA_PARAMS": json.dumps(params),
                           "COCOTB_LOG_LEVEL": "WARNING", "PYTHONWARNINGS": "ignore::DeprecationWarning"})
            failed = None
        except SystemExit as e:
            failed = f"simulator exit {e.code}"
        except Exception as e:  # noqa: BLE001 - any failure to build or run is reported in one line
            failed = f"{type(e).__name__}: {e}"
        finally:
            sys.stdout.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
    if failed or not out.exists():
        raise RuntimeError(f"the simulation failed ({failed or 'no result written'}); see {log}")
    rows = rows_from_json(json.loads(out.read_text()))
    out.unlink()
    log.unlink()              # kept only when the run failed
    return rows


def main(argv=None) -> int:
    try:
        args = parse_args(argv)
        params, given, overrides, fields = prepare(args)
    except BadInputError as e:
        print(f"limits: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        rows = run_on_hardware(given, overrides, fields, args.sim, args.seed)
    except RuntimeError as e:
        print(f"limits: {e}", file=sys.stderr)
        return EXIT_SIM_FAILED
    status = exit_status(rows)
    if args.json:
        attr = vars(declared_attr(caps_of(params), overrides))
        doc = {"params": params, "attr": attr, "rows": rows_to_json(rows), "exit": status}
        print(json.dumps(doc, indent=1))
    else:
        print(f"sgdma {', '.join(f'{k}={v}' for k, v in sorted(params.items()))} ({args.sim})")
        print(table(rows))
        print("verdict:", "too loose (the DDI can produce a cookie the hardware refuses)" if status
              else "safe")
    return status


if __name__ == "__main__":
    sys.exit(main())

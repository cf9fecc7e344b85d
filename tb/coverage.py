"""Functional coverage of sgdma, with cocotb-coverage (CoverPoint / CoverCross in one coverage_db).

Coverpoints are sampled from what the testbench already sees, through a few calls:
  - `configure(params)`: the build's DATA_WIDTH, SG_PORT, HIDE_ENTRIES, SGL_MAX (environments);
  - `sample_descriptor(addr, length, control)`: every descriptor a test writes (sizes, alignments per
    data width, 4 KiB straddles, cache attribute, descriptors per packet);
  - `sample_window(...)`: every DDI window (cookies per window, windows per bind, splits, copy buffers);
  - `sample_sr(ch, sr)`: every SR read (error code x channel x site, interrupt coalescing, state);
  - `sample_cr_write(ch, cr)`: every CR write: abort (RS=0) and soft reset, by the state last seen;
  - `sample_refusal(ch, code, window, nwin)`: a refused DDI window (limit code x window position);
  - `sample_hide(...)` / `sample_maintenance(...)`: hide-table events and maintenance operations;
  - `sample_backpressure(channel, busy)`: every pause pattern of the memory and stream models.

With SGDMA_FUNC_COV_DIR set (tb/sim_runner.py sets it under SGDMA_COVERAGE=1), the process writes
its database as JSON to that directory when the simulation ends; tb/coverage_report.py merges the
files (tests, seeds, simulators, workers) and lists every bin with its hits, holes first.
"""
from __future__ import annotations

import atexit
import json
import os
import uuid
from pathlib import Path

from cocotb_coverage.coverage import CoverCross, CoverPoint, coverage_db

PREFIX = "sgdma"
WIDTHS = (32, 64, 128)
CHANNELS = ("MM2S", "S2MM")
ERROR_CODES = tuple(range(1, 16))
# error code -> where in the channel it is detected (hdl/sgdma_map.json "errors")
ERROR_SITE = {1: "decode", 2: "decode", 3: "decode", 4: "decode", 5: "decode", 6: "decode", 7: "decode",
              15: "decode", 8: "desc_fetch", 9: "desc_fetch", 10: "data", 11: "data", 12: "stream",
              13: "writeback", 14: "writeback"}
SITES = ("decode", "desc_fetch", "data", "stream", "writeback")
LENGTH_BINS = ("1", "sub_beat", "one_beat", "few_beats", "long", "4KiB", "over_4KiB")
ALIGN_BINS = ("aligned", "mid", "last_lane")
END_BINS = ("aligned", "first_lane", "mid")
STATES = ("idle", "running", "halted", "halted_error")
BUSY_BINS = ("none", "light", "heavy")
BUS_CHANNELS = ("aw", "w", "b", "ar", "r", "m_axis", "s_axis")

_config = {"DATA_WIDTH": 64, "SG_PORT": 0, "HIDE_ENTRIES": 0, "SGL_MAX": 16}
_packet_len = 0
_last_state = dict.fromkeys(CHANNELS, "halted")


def _length_bin(length: int, db: int) -> str:
    if length == 1:
        return "1"
    if length < db:
        return "sub_beat"
    if length == db:
        return "one_beat"
    if length <= 16 * db:
        return "few_beats"
    if length < 4096:
        return "long"
    return "4KiB" if length == 4096 else "over_4KiB"


def _align_bin(addr: int, db: int) -> str:
    lane = addr % db
    return "aligned" if lane == 0 else "last_lane" if lane == db - 1 else "mid"


def _end_bin(end: int, db: int) -> str:
    lane = end % db
    return "aligned" if lane == 0 else "first_lane" if lane == 1 else "mid"


def _count_bin(n: int, top: int) -> str:
    return str(n) if n < 3 else "3..top-1" if n < top else "top" if n == top else "over_top"


def _busy_bin(p: float) -> str:
    return "none" if p <= 0 else "light" if p < 0.3 else "heavy"


# ---- configuration ---------------------------------------------------------------------------
@CoverPoint(f"{PREFIX}.config.data_width", xf=lambda c: c["DATA_WIDTH"], bins=list(WIDTHS))
@CoverPoint(f"{PREFIX}.config.sg_port", xf=lambda c: c["SG_PORT"], bins=[0, 1])
@CoverPoint(f"{PREFIX}.config.hide_unit", xf=lambda c: c["HIDE_ENTRIES"] > 0, bins=[False, True])
@CoverCross(f"{PREFIX}.config.width_x_sg_port",
            items=[f"{PREFIX}.config.data_width", f"{PREFIX}.config.sg_port"])
def _sample_config(c: dict) -> None:
    pass


def configure(params: dict) -> None:
    """The build's parameters (sgdma's defaults where absent: hdl/sgdma.v, e.g. SG_PORT 1); sampled once
    per environment."""
    from tb.sim_runner import sgdma_defaults

    defaults = sgdma_defaults()
    _config.update({k: int(params.get(k, defaults.get(k, _config[k]))) for k in _config})
    _sample_config(dict(_config))


# ---- descriptors -----------------------------------------------------------------------------
def _db() -> int:
    return _config["DATA_WIDTH"] // 8


@CoverPoint(f"{PREFIX}.desc.length", xf=lambda a, n, c: _length_bin(n, _db()), bins=list(LENGTH_BINS))
@CoverPoint(f"{PREFIX}.desc.start_align", xf=lambda a, n, c: _align_bin(a, _db()), bins=list(ALIGN_BINS))
@CoverPoint(f"{PREFIX}.desc.end_align", xf=lambda a, n, c: _end_bin(a + n, _db()), bins=list(END_BINS))
@CoverPoint(f"{PREFIX}.desc.data_width", xf=lambda a, n, c: _config["DATA_WIDTH"], bins=list(WIDTHS))
@CoverPoint(f"{PREFIX}.desc.straddles_4k", xf=lambda a, n, c: a // 4096 != (a + n - 1) // 4096,
            bins=[False, True])
@CoverPoint(f"{PREFIX}.desc.cache_attr", xf=lambda a, n, c: (c >> 4) & 3, bins=[0, 1, 2])
@CoverCross(f"{PREFIX}.desc.align_x_length_x_width",
            items=[f"{PREFIX}.desc.start_align", f"{PREFIX}.desc.length", f"{PREFIX}.desc.data_width"])
@CoverCross(f"{PREFIX}.desc.start_x_end_align",
            items=[f"{PREFIX}.desc.start_align", f"{PREFIX}.desc.end_align"])
def _sample_desc(addr: int, length: int, control: int) -> None:
    pass


@CoverPoint(f"{PREFIX}.packet.descriptors", xf=lambda n: _count_bin(n, _config["SGL_MAX"]),
            bins=["1", "2", "3..top-1", "top", "over_top"])
def _sample_packet(n: int) -> None:
    pass


def sample_descriptor(addr: int, length: int, control: int) -> None:
    """A descriptor handed to hardware (CONTROL as in hdl/sgdma_map.json: SOF bit 0, EOF bit 1)."""
    global _packet_len
    if length <= 0:
        return
    _sample_desc(addr, length, control)
    if control & 1:
        _packet_len = 0
    _packet_len += 1
    if control & 2:
        _sample_packet(_packet_len)
        _packet_len = 0


# ---- DDI windows -----------------------------------------------------------------------------
@CoverPoint(f"{PREFIX}.ddi.cookies_per_window", xf=lambda w: _count_bin(w["ncookies"], w["sgllen"]),
            bins=["1", "2", "3..top-1", "top"])
@CoverPoint(f"{PREFIX}.ddi.windows_per_bind", xf=lambda w: min(w["nwin"], 4) if w["index"] == 0 else None,
            bins=[1, 2, 3, 4], bins_labels=["1", "2", "3", "4+"])
@CoverPoint(f"{PREFIX}.ddi.count_max_split", xf=lambda w: w["count_max_split"], bins=[False, True])
@CoverPoint(f"{PREFIX}.ddi.seg_split", xf=lambda w: w["seg_split"], bins=[False, True])
@CoverPoint(f"{PREFIX}.ddi.granular_trim", xf=lambda w: w["granular_trim"], bins=[False, True])
@CoverPoint(f"{PREFIX}.ddi.copy_buffer", xf=lambda w: w["bounced"], bins=[False, True])
def _sample_window(w: dict) -> None:
    pass


def sample_window(*, index: int, nwin: int, cookies: list[tuple[int, int]], sgllen: int, count_max: int,
                  seg: int, granular: int, remaining: int, bounced: bool) -> None:
    """One DDI window: its cookies, the bind's window count and why cookies/windows were cut.
    `remaining`: object bytes from this window's start to the end of the request."""
    length = sum(n for _, n in cookies)
    _sample_window({
        "index": index, "nwin": nwin, "ncookies": len(cookies), "sgllen": max(sgllen, 1),
        "count_max_split": any(n == count_max + 1 for _, n in cookies),
        "seg_split": any((a + n) % (seg + 1) == 0 and (a + n) // (seg + 1) > 0 for a, n in cookies[:-1]),
        "granular_trim": granular > 1 and length < remaining and length % granular == 0,
        "bounced": bool(bounced),
    })


# ---- SR: errors, interrupts, state -----------------------------------------------------------
@CoverPoint(f"{PREFIX}.error.code", xf=lambda ch, sr: sr["ERRCODE"] if sr["ERR"] else None,
            bins=list(ERROR_CODES))
@CoverPoint(f"{PREFIX}.error.channel", xf=lambda ch, sr: ch if sr["ERR"] else None, bins=list(CHANNELS))
@CoverPoint(f"{PREFIX}.error.site", xf=lambda ch, sr: ERROR_SITE.get(sr["ERRCODE"]) if sr["ERR"] else None,
            bins=list(SITES))
@CoverCross(f"{PREFIX}.error.code_x_channel", items=[f"{PREFIX}.error.code", f"{PREFIX}.error.channel"])
@CoverPoint(f"{PREFIX}.irq.cause",
            xf=lambda ch, sr: {(1, 0): "threshold", (0, 1): "timeout", (1, 1): "both"}.get(
                (sr.get("IOC_IRQ", 0), sr.get("DLY_IRQ", 0))),
            bins=["threshold", "timeout", "both"])
@CoverPoint(f"{PREFIX}.irq.error_irq", xf=lambda ch, sr: bool(sr.get("ERR_IRQ", 0)), bins=[True])
@CoverPoint(f"{PREFIX}.irq.channel", xf=lambda ch, sr: ch if sr.get("IOC_IRQ", 0) or sr.get("DLY_IRQ", 0)
            else None, bins=list(CHANNELS))
@CoverCross(f"{PREFIX}.irq.cause_x_channel", items=[f"{PREFIX}.irq.cause", f"{PREFIX}.irq.channel"])
def _sample_sr(ch: str, sr: dict) -> None:
    pass


def _state(sr: dict) -> str:
    if sr.get("HALTED"):
        return "halted_error" if sr.get("ERR") else "halted"
    return "idle" if sr.get("IDLE") else "running"


def sample_sr(ch: str, sr: dict) -> None:
    """Every SR read (fields by name, tb/sgdma_regs.py)."""
    _last_state[ch] = _state(sr)
    _sample_sr(ch, sr)


@CoverPoint(f"{PREFIX}.control.kind", xf=lambda ch, kind, state: kind, bins=["abort", "soft_reset"])
@CoverPoint(f"{PREFIX}.control.state", xf=lambda ch, kind, state: state, bins=list(STATES))
@CoverPoint(f"{PREFIX}.control.channel", xf=lambda ch, kind, state: ch, bins=list(CHANNELS))
@CoverCross(f"{PREFIX}.control.kind_x_state_x_channel",
            items=[f"{PREFIX}.control.kind", f"{PREFIX}.control.state", f"{PREFIX}.control.channel"])
def _sample_control(ch: str, kind: str, state: str) -> None:
    pass


def sample_control(ch: str, kind: str) -> None:
    """An abort (CR.RS cleared) or a soft reset, by the channel state the last SR read showed."""
    _sample_control(ch, kind, _last_state[ch])


def sample_cr_write(ch: str, cr: dict) -> None:
    """A CR write (fields by name): RESET=1 is a soft reset, RS=0 an abort (or a stop while idle)."""
    if cr.get("RESET"):
        sample_control(ch, "soft_reset")
    elif not cr.get("RS"):
        sample_control(ch, "abort")


# a window is refused when the driver binds under a wrong attr: the limit checks of the decode site
REFUSAL_CODES = {2: "LEN_RANGE", 3: "SEG_CROSS", 4: "ADDR_RANGE", 5: "MISALIGN", 6: "SGL_OVER"}


@CoverPoint(f"{PREFIX}.ddi.refusal_code", xf=lambda ch, code, pos: code, bins=list(REFUSAL_CODES),
            bins_labels=list(REFUSAL_CODES.values()))
@CoverPoint(f"{PREFIX}.ddi.refusal_window", xf=lambda ch, code, pos: pos, bins=["only", "first", "later"])
@CoverCross(f"{PREFIX}.ddi.refusal_code_x_window",
            items=[f"{PREFIX}.ddi.refusal_code", f"{PREFIX}.ddi.refusal_window"])
def _sample_refusal(ch: str, code: int, pos: str) -> None:
    pass


def sample_refusal(ch: str, code: int, window: int, nwin: int) -> None:
    """A DDI window refused by the hardware with `code` (limit code x window index)."""
    _sample_refusal(ch, code, "only" if nwin == 1 else "first" if window == 0 else "later")


# ---- hide unit -------------------------------------------------------------------------------
@CoverPoint(f"{PREFIX}.hide.depth", xf=lambda unhide, count, modified: None if unhide else min(count, 3),
            bins=[1, 2, 3], bins_labels=["1", "2", "3+"])
@CoverPoint(f"{PREFIX}.hide.unhide_modified",
            xf=lambda unhide, count, modified: bool(modified) if unhide and count == 0 else None,
            bins=[False, True])
@CoverPoint(f"{PREFIX}.hide.nested_unhide", xf=lambda unhide, count, modified: count > 0 if unhide else None,
            bins=[False, True])
def sample_hide(unhide: bool, count: int, modified: bool) -> None:
    """A hide-table event from sgdma_hide's trace port (tb/hide_shadow.py): count after the event."""


@CoverPoint(f"{PREFIX}.hide.maintenance_op", xf=lambda op, lines: op,
            bins=["CLEAN", "CLEAN_INVALIDATE", "WC_FLUSH"])
@CoverPoint(f"{PREFIX}.hide.dirty_lines", xf=lambda op, lines: 0 if lines == 0 else 1 if lines == 1
            else 2 if lines < 64 else 64, bins=[0, 1, 2, 64], bins_labels=["0", "1", "2..63", "64 (page)"])
@CoverCross(f"{PREFIX}.hide.op_x_dirty_lines",
            items=[f"{PREFIX}.hide.maintenance_op", f"{PREFIX}.hide.dirty_lines"])
def sample_maintenance(op: str, lines: int) -> None:
    """A maintenance operation answered by tb/cpu_cache.MaintenancePort: op name, lines written back
    (for WC_FLUSH: lines of buffered write-combining bytes)."""


# ---- backpressure ----------------------------------------------------------------------------
@CoverPoint(f"{PREFIX}.bus.backpressure", xf=lambda ch, p: _busy_bin(p), bins=list(BUSY_BINS))
@CoverPoint(f"{PREFIX}.bus.channel", xf=lambda ch, p: ch, bins=list(BUS_CHANNELS))
@CoverCross(f"{PREFIX}.bus.channel_x_backpressure",
            items=[f"{PREFIX}.bus.channel", f"{PREFIX}.bus.backpressure"])
def _sample_backpressure(ch: str, p: float) -> None:
    pass


def sample_backpressure(channel: str, busy: float) -> None:
    """A pause pattern built for `channel` (AXI channel name, or m_axis/s_axis) with probability `busy`."""
    _sample_backpressure(channel.lower(), float(busy))


# ---- database --------------------------------------------------------------------------------
def coverpoint_names() -> list[str]:
    """Every coverpoint and cross defined here (the testplan may name only these)."""
    return [k for k, v in coverage_db.items()
            if k.startswith(PREFIX + ".") and isinstance(v, (CoverPoint, CoverCross))]


def _label(b) -> str:
    return " x ".join(map(str, b)) if isinstance(b, tuple) else str(b)


def snapshot() -> dict:
    """{coverpoint: {bin label: hits}} for every coverpoint and cross."""
    out = {}
    for name in coverpoint_names():
        out[name] = {_label(b): int(h) for b, h in coverage_db[name].detailed_coverage.items()}
    return out


def export(directory: str | os.PathLike) -> Path:
    """Write this process's database to `directory` (one file per process, unique name)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    tag = os.environ.get("SGDMA_COV_TAG", "run")
    path = d / f"{tag}-{uuid.uuid4().hex[:8]}.json"
    path.write_text(json.dumps({"tag": tag, "coverpoints": snapshot()}, indent=0))
    return path


if os.environ.get("SGDMA_FUNC_COV_DIR"):
    atexit.register(export, os.environ["SGDMA_FUNC_COV_DIR"])

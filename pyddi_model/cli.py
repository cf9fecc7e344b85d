"""Command line for driver writers: what cookies and windows does a bind produce?

``python -m pyddi_model bind [options]`` builds a kernel buffer on a simulated machine (scattered
with a given contiguity, or on explicit frames), allocates a DMA handle with the given
``ddi_dma_attr`` fields, binds the buffer with ``ddi_dma_addr_bind_handle`` and prints the result
code, the cookies and the windows (a table, or JSON with ``--json``).

Exit status: 0 bind succeeded (MAPPED / PARTIAL_MAP), 1 the bind failed (its code is printed),
2 bad input (one line on stderr).
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from .constants import (
    DDI_DMA_MAPPED,
    DDI_DMA_PARTIAL,
    DDI_DMA_PARTIAL_MAP,
    DDI_DMA_READ,
    DDI_DMA_SLEEP,
    DDI_DMA_WRITE,
    DDI_SUCCESS,
)
from .ddi import DDI
from .dma import check_attr, rc_name
from .machine import Machine
from .structs import ddi_dma_attr_t

PROG = "python -m pyddi_model"
FOUR_G = 1 << 32
_SUFFIX = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}

EPILOG = f"""examples:
  {PROG} bind --size 1M --offset 0x234 --contiguity 0.5 --seed 7 --sgllen 17 \\
      --count-max 0xFFFF --seg 0xFFFFFFFF --granular 512 --partial
  {PROG} bind --frames 0x10,0x11,0x12,0x40 --count-max 0x2FFF --illumos --json

numbers accept decimal, 0x hex and K/M/G suffixes (1M = 0x100000).
exit status: 0 bind succeeded, 1 bind failed (result printed), 2 bad input."""


class InputError(Exception):
    """Bad command-line input: reported as one line on stderr, exit status 2."""


def parse_number(text: str) -> int:
    """'4096', '0x1000', '4K', '1M', '0x10K', '-1' -> int."""
    m = re.fullmatch(r"\s*(-?)(0[xX][0-9a-fA-F_]+|[0-9_]+)([KMGTkmgt]?)\s*", str(text))
    if not m:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}")
    sign, digits, suffix = m.groups()
    value = int(digits, 0) * _SUFFIX[suffix.upper()]
    return -value if sign else value


def parse_frames(text: str) -> list[int]:
    try:
        frames = [parse_number(x) for x in text.split(",") if x.strip()]
    except argparse.ArgumentTypeError as e:
        raise argparse.ArgumentTypeError(f"--frames: {e}") from None
    if not frames:
        raise argparse.ArgumentTypeError("--frames needs at least one frame number")
    return frames


def parse_fraction(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError("contiguity must be in [0, 1]")
    return v


class _Parser(argparse.ArgumentParser):
    def error(self, message):            # one line, exit 2 (argparse prints usage too)
        raise InputError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Executable model of the Solaris DDI DMA interfaces.",
                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    b = sub.add_parser("bind", help="bind a buffer under a ddi_dma_attr and print cookies and windows",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
                       description="Bind a simulated kernel buffer and print its cookies and windows.")
    d = ddi_dma_attr_t()
    a = b.add_argument_group("ddi_dma_attr(9S) fields")
    for name, default, what in (
            ("addr-lo", d.dma_attr_addr_lo, "lowest reachable bus address"),
            ("addr-hi", d.dma_attr_addr_hi, "highest reachable bus address (inclusive)"),
            ("count-max", d.dma_attr_count_max, "cookie size <= count_max + 1"),
            ("align", d.dma_attr_align, "alignment (allocated memory only: no effect on a bind)"),
            ("maxxfer", d.dma_attr_maxxfer, "bytes per window"),
            ("seg", d.dma_attr_seg, "no cookie crosses a multiple of seg + 1"),
            ("sgllen", d.dma_attr_sgllen, "cookies per window (-1 unlimited)"),
            ("granular", d.dma_attr_granular, "windows are multiples of this"),
            ("flags", d.dma_attr_flags, "dma_attr_flags")):
        shown = f"{default:#x}" if default >= 0 else str(default)
        a.add_argument("--" + name, type=parse_number, default=default, metavar="N",
                       help=f"{what} (default {shown})")
    f = b.add_argument_group("bind flags")
    f.add_argument("--partial", action="store_true", help="DDI_DMA_PARTIAL: accept windows")
    f.add_argument("--read", action="store_true", help="DDI_DMA_READ (device -> memory)")
    f.add_argument("--write", action="store_true", help="DDI_DMA_WRITE (memory -> device; the default)")
    lay = b.add_argument_group("buffer layout")
    lay.add_argument("--size", type=parse_number, default=None, metavar="N",
                     help="bytes to bind (default: 64K, or the --frames pages minus --offset)")
    lay.add_argument("--offset", type=parse_number, default=0, metavar="N",
                     help="start offset inside the first page")
    lay.add_argument("--contiguity", type=parse_fraction, default=0.0, metavar="P",
                     help="probability that the next frame follows the previous one (0..1)")
    lay.add_argument("--seed", type=parse_number, default=0, metavar="N", help="frame allocator seed")
    lay.add_argument("--frames", type=parse_frames, default=None, metavar="F,F,...",
                     help="explicit frame numbers of the buffer's pages")
    lay.add_argument("--pagesize", type=parse_number, default=4096, metavar="N", help="4096 or 8192")
    lay.add_argument("--above-4g", action="store_true",
                     help="place the buffer above 4 GiB (default: below, so a 32-bit addr_hi reaches it)")
    o = b.add_argument_group("output")
    o.add_argument("--illumos", action="store_true", help="illumos x86 quirks instead of the man pages")
    o.add_argument("--json", action="store_true", help="print JSON")
    o.add_argument("--all", action="store_true", help="do not abbreviate long cookie lists")
    o.add_argument("--show", type=parse_number, default=8, metavar="N",
                   help="cookies shown at each end of a long list (default 8)")
    return p


# ------------------------------------------------------------------------------ binding
def run_bind(args) -> dict:
    """Set up the machine and buffer, bind, and return the result as a dict (raises InputError)."""
    P = args.pagesize
    if P not in (4096, 8192):
        raise InputError("--pagesize must be 4096 or 8192")
    if not 0 <= args.offset < P:
        raise InputError(f"--offset must be in [0, {P:#x})")
    if args.show < 1:
        raise InputError("--show must be >= 1")
    a = ddi_dma_attr_t(dma_attr_addr_lo=args.addr_lo, dma_attr_addr_hi=args.addr_hi,
                       dma_attr_count_max=args.count_max, dma_attr_align=args.align,
                       dma_attr_maxxfer=args.maxxfer, dma_attr_seg=args.seg,
                       dma_attr_sgllen=args.sgllen, dma_attr_granular=args.granular,
                       dma_attr_flags=args.flags)
    why = check_attr(a, P, args.illumos)
    if why is not None:
        raise InputError(f"bad attr: {why}")
    phys_bytes = 1 << 36
    if args.frames is not None:
        frames = args.frames
        if min(frames) < 1 or max(frames) >= phys_bytes // P:
            raise InputError(f"--frames must be in [1, {phys_bytes // P:#x})")
        size = args.size if args.size is not None else len(frames) * P - args.offset
        need = -(-(args.offset + size) // P)
        if len(frames) < need:
            raise InputError(f"--frames lists {len(frames)} frames, the buffer needs {need}")
    else:
        size = args.size if args.size is not None else 64 << 10
        need = -(-(args.offset + size) // P)
    if size <= 0:
        raise InputError("--size must be > 0")
    if size > 0xFFFFFFFF:
        raise InputError("--size must be below 4 GiB (the DMA object size is 32 bits)")
    m = Machine(pagesize=P, phys_bytes=phys_bytes, seed=args.seed, contiguity=args.contiguity)
    try:
        if args.frames is not None:
            va = m.kas.mmap(len(args.frames) * P, frames=args.frames)
        elif args.above_4g:
            va = m.kas.mmap(need * P, lo=FOUR_G)
        else:
            va = m.kas.mmap(need * P, hi=FOUR_G - 1)
    except (ValueError, MemoryError) as e:
        raise InputError(f"cannot place the buffer: {e}") from None
    ddi = DDI(m, illumos=args.illumos)
    rc, h = ddi.ddi_dma_alloc_handle(None, a, DDI_DMA_SLEEP, None)
    if rc != DDI_SUCCESS:
        raise InputError(f"ddi_dma_alloc_handle: {rc_name(rc)}")
    flags = (DDI_DMA_READ if args.read else 0) | (DDI_DMA_WRITE if args.write or not args.read else 0)
    if args.partial:
        flags |= DDI_DMA_PARTIAL
    rc, _c, count = ddi.ddi_dma_addr_bind_handle(h, None, va + args.offset, size, flags, DDI_DMA_SLEEP, None)
    out = {
        "result": rc_name(rc), "rc": rc, "mode": "illumos" if args.illumos else "man",
        "pagesize": P, "size": size, "offset": args.offset,
        "attr": {k: getattr(a, k) for k in a.__dataclass_fields__},
        "bind_flags": flags, "first_window_cookies": count,
        "pages": m.kas.page_paddrs(va, need).tolist(),
        "copy_buffer_pages": 0, "cookies": [], "windows": [],
    }
    if rc in (DDI_DMA_MAPPED, DDI_DMA_PARTIAL_MAP):
        plan = h.plan
        out["copy_buffer_pages"] = int(h.copy_frames.shape[0])
        out["cookies"] = [list(c) for c in plan.cookies.as_tuples()]
        for w in range(plan.nwin):
            out["windows"].append({
                "index": w, "offset": int(plan.win_off[w]), "length": int(plan.win_len[w]),
                "ncookies": int(plan.win_count[w]),
                "cookies": [list(c) for c in plan.window(w).as_tuples()]})
    else:
        out["reason"] = h.plan.reason if h.plan is not None else ""
    return out


# ------------------------------------------------------------------------------ output
def _abbrev(items: list, n: int, show_all: bool) -> tuple[list, int]:
    """First and last n items, and how many were left out."""
    if show_all or len(items) <= 2 * n:
        return items, 0
    return items[:n] + [None] + items[-n:], len(items) - 2 * n


def format_table(res: dict, show: int, show_all: bool) -> str:
    lines = [f"result: {res['result']} ({res['rc']})   mode: {res['mode']}   "
             f"size: {res['size']:#x}   offset: {res['offset']:#x}   pagesize: {res['pagesize']:#x}"]
    a = res["attr"]
    lines.append("attr: " + " ".join(f"{k.replace('dma_attr_', '')}={v:#x}" if v >= 0 else
                                     f"{k.replace('dma_attr_', '')}={v}" for k, v in a.items()))
    if not res["cookies"]:
        if res.get("reason"):
            lines.append(f"reason: {res['reason']}")
        return "\n".join(lines)
    lines.append(f"cookies: {len(res['cookies'])}   windows: {len(res['windows'])}   "
                 f"copy buffer pages: {res['copy_buffer_pages']}")
    lines.append("")
    lines.append(f"{'cookie':>8}  {'address':>18}  {'size':>10}")
    rows, left = _abbrev(list(enumerate(res["cookies"])), show, show_all)
    for row in rows:
        if row is None:
            lines.append(f"{'...':>8}  {left} more")
            continue
        i, (addr, size) = row
        lines.append(f"{i:>8}  {addr:#18x}  {size:#10x}")
    lines.append("")
    lines.append(f"{'window':>8}  {'offset':>10}  {'length':>10}  {'cookies':>7}  first cookies")
    wrows, wleft = _abbrev(res["windows"], show, show_all)
    for w in wrows:
        if w is None:
            lines.append(f"{'...':>8}  {wleft} more")
            continue
        cks = w["cookies"]
        shown = " ".join(f"{addr:#x}+{size:#x}" for addr, size in (cks if show_all else cks[:3]))
        if not show_all and len(cks) > 3:
            shown += f" ... {len(cks) - 3} more"
        lines.append(f"{w['index']:>8}  {w['offset']:#10x}  {w['length']:#10x}  {w['ncookies']:>7}  {shown}")
    return "\n".join(lines)


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
        res = run_bind(args)
    except InputError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except SystemExit as e:                 # --help
        return int(e.code or 0)
    if args.json:
        print(json.dumps(res))
    else:
        print(format_table(res, args.show, args.all))
    return 0 if res["rc"] in (DDI_DMA_MAPPED, DDI_DMA_PARTIAL_MAP) else 1

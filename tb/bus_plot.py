"""Bus occupancy per channel over time, drawn from a beat trace (tb/beat_trace.py): `make demo`'s picture.

For each channel of sgdma's memory port (AR, R, AW, W, B) and of the two streams, the cycles of the
run are cut into bins; each bin shows the share of its cycles that carried a data beat, a descriptor
fetch (R beats of the engines' IDs), a status write-back (W beats of the engines' bursts, in AW
order) or nothing (stall or idle: the trace holds handshakes only). The legend gives each data
channel's efficiency (its data beats over the cycles from its first to its last beat) and each
address or response channel's count of data bursts. With SG_PORT = 1 the descriptor fetches and
status write-backs are on m_axi_sg, whose beats the HDL records in a trace of their own next to the
main one (tbtrace_<token>_sg.txt beside tbtrace_<token>.txt, tb/hdl/harness/sgdma_fast_tb.v): when
that file is there, the picture has a row per m_axi_sg channel too ("sg AR" .. "sg B").

    python -m tb.bus_plot TRACE DATA_WIDTH OUT.png
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from tb.beat_trace import AR, AW, CHANNEL_NAMES, MM2S_BEAT, S2MM_BEAT, B, R, TraceFile, W

DATA_ID = 0
BEAT_CHANNELS = ("R", "W", "m_axis", "s_axis")   # one beat per data transfer (efficiency applies)


def classify(b) -> dict[str, np.ndarray]:
    """Per channel, (cycles of data beats, cycles of descriptor/status beats)."""
    out = {}
    for ch in (AR, R, AW, B, MM2S_BEAT, S2MM_BEAT):
        sel = b.ch == ch
        cyc, ids = b.cycle[sel], b.id[sel]
        if ch in (AR, R, AW, B):
            out[CHANNEL_NAMES[ch]] = (cyc[ids == DATA_ID], cyc[ids != DATA_ID])
        else:
            out[CHANNEL_NAMES[ch]] = (cyc, cyc[:0])
    # W has no ID: its beats follow the AW order (each AW burst has len + 1 beats)
    aw = b.ch == AW
    owner = np.repeat(b.id[aw], (b.len[aw] + 1))
    wc = b.cycle[b.ch == W]
    owner = owner[:len(wc)]
    if len(owner) < len(wc):      # W beats ahead of their AW at the end of the trace
        owner = np.concatenate([owner, np.full(len(wc) - len(owner), DATA_ID)])
    out["W"] = (wc[owner == DATA_ID], wc[owner != DATA_ID])
    return out


def sg_trace_of(trace: Path) -> Path | None:
    """The m_axi_sg trace written beside `trace` (tbtrace_<token>.txt -> tbtrace_<token>_sg.txt), if any."""
    if not trace.name.startswith("tbtrace_"):
        return None
    sg = trace.with_name(f"{trace.stem}_sg{trace.suffix}")
    return sg if sg.is_file() and sg.stat().st_size else None


def classify_sg(b) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Rows of the m_axi_sg channels: every beat there is a descriptor fetch or a status write-back."""
    return {f"sg {CHANNEL_NAMES[ch]}": (b.cycle[:0], b.cycle[b.ch == ch]) for ch in (AR, R, AW, W, B)}


def efficiency(cycles: np.ndarray) -> float:
    if len(cycles) < 2:
        return 0.0
    return len(cycles) / (int(cycles.max()) - int(cycles.min()) + 1)


def plot(trace: Path, data_width: int, out: Path, bins: int = 200, title: str = "") -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    b = TraceFile(trace, data_width).read_new()
    if not len(b):
        raise ValueError(f"{trace}: empty trace")
    lo, hi = int(b.cycle.min()), int(b.cycle.max()) + 1
    parts = classify(b)
    order = ["AR", "R", "m_axis", "AW", "W", "B", "s_axis"]
    sg_trace = sg_trace_of(trace)
    if sg_trace is not None:
        sg = TraceFile(sg_trace, data_width).read_new()
        if len(sg):
            lo, hi = min(lo, int(sg.cycle.min())), max(hi, int(sg.cycle.max()) + 1)
            parts.update(classify_sg(sg))
            order += ["sg AR", "sg R", "sg AW", "sg W", "sg B"]
    edges = np.linspace(lo, hi, bins + 1)
    width = np.diff(edges)
    mid = (edges[:-1] + edges[1:]) / 2
    fig, axes = plt.subplots(len(order), 1, sharex=True, figsize=(11, 1.25 * len(order) + 1))
    for ax, name in zip(axes, order, strict=True):
        data, ctrl = parts[name]
        hd = np.histogram(data, edges)[0] / width
        hc = np.histogram(ctrl, edges)[0] / width
        kind = "descriptor fetch" if name in ("AR", "R", "sg AR", "sg R") else "status write-back"
        what = (f"data beats (efficiency {efficiency(data):.0%})" if name in BEAT_CHANNELS
                else f"data bursts ({len(data)})")
        if not name.startswith("sg "):     # m_axi_sg carries no data
            ax.bar(mid, hd, width=width, color="tab:blue", label=what)
        if name not in ("m_axis", "s_axis"):
            ax.bar(mid, hc, width=width, bottom=hd, color="tab:orange", label=kind)
        ax.bar(mid, 1 - hd - hc, width=width, bottom=hd + hc, color="0.9", label="stall or idle")
        ax.set_ylim(0, 1)
        ax.set_ylabel(name, rotation=0, ha="right", va="center")
        ax.set_yticks([])
        ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
    axes[-1].set_xlabel("cycle")
    fig.suptitle(title or f"bus occupancy per channel ({trace.name})")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3 or not argv[1].isdigit():
        print("usage: python -m tb.bus_plot TRACE DATA_WIDTH OUT.png", file=sys.stderr)
        return 2
    trace = Path(argv[0])
    if not trace.is_file():
        print(f"bus_plot: no trace file {trace}", file=sys.stderr)
        return 2
    plot(trace, int(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

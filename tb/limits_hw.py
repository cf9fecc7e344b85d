"""The simulator side of tb/limits.py: every probe bound through the DDI and run on sgdma.

The launcher (python -m tb.limits) passes LIMITS_REQUEST (JSON: the declared attr fields, the fields
to probe, the file to write). One cocotb test builds the DDI environment (tb/env/ddi.py), reads the
capability registers, plans each field's probes (tb/limits.Planner) on the machine's free frames and
runs each as one S2MM packet: ddi_umem_lock, ddi_umem_iosetup, ddi_dma_buf_bind_handle under the
probe's attr, the window's cookies as the descriptors of one packet, the tail pointer, the interrupt.
An accepted packet receives a short stream packet (TLAST after SHORT bytes: the later buffers
complete with length 0, sgdma_s2mm.md), every W beat checked against it (tb/scoreboard.py); a refused
one must move no data beat. Memory outside the cookies is checked per beat and by guards.
"""

from __future__ import annotations

import json
import os

import cocotb
from cocotb.triggers import ClockCycles

from pyddi_model import ddi_dma_attr_t
from tb.ddi_driver import S2MM, DriverError
from tb.env.ddi import CheckError, DdiEnv
from tb.limits import SHORT, Planner, Probe, Result, declared_attr, rows_to_json, verdict
from tb.scoreboard import WriteScoreboard, segments_from_cookies

FETCH_POLLS = 8        # status polls, 16 cycles apart (plus one per descriptor), before the data goes in


async def run_probe(env: DdiEnv, probe: Probe) -> Result:
    """Bind the probe's buffer, check the DDI put the cookie where wanted, run it, say what happened."""
    attr = ddi_dma_attr_t(**probe.attr)
    try:
        req = env.disk_read(probe.nbytes, off=probe.off, blkno=0, attr=attr, frames=probe.frames)
    except DriverError as e:
        return Result("not reached", f"the DDI refused the bind ({e})")
    win = req.window(0)
    why = probe.check(win.cookies, win.length)
    if why:
        req.finish()
        return Result("not reached", f"the DDI gave {why}")
    ch = S2MM
    ring = env.rings[ch]
    descs = req.build_packets(win, ring, len(win.cookies))   # the whole window: one packet
    slots = [s for s, _ in descs]
    data = env.store.read(win.packets[0].user, min(SHORT, win.length))
    sb = WriteScoreboard(segments_from_cookies(win.cookies), [data], env.data_bytes,
                         packet_segments=[list(range(len(win.cookies)))])
    env._install_write_sb(sb)
    cookies = [(a, a + n, f"{probe.field} {probe.which} cookie {i}") for i, (a, n) in enumerate(win.cookies)]
    env._allow(ch, env._status_ranges(ch, slots) + cookies)
    budget = env.budget(len(data), len(descs))
    await env._hand_over(ch, slots, 1)
    # The engine checks a packet's descriptors before any of its data moves: a refusal comes within the
    # fetch of the packet. The stream packet goes in only after that, so a refused packet leaves no
    # stream bytes behind for the next probe (a soft reset does not empty the stream source).
    for _ in range(FETCH_POLLS + len(descs)):
        await ClockCycles(env.dut.clk, 16)
        if (await env.hw.status(ch)).error:
            break
    else:
        await env.disk_source.send_blocks(win.packets[0].user, len(data))
    st = await env.wait_irq(ch, budget, f"limits: {probe.field} {probe.which}")
    if st.error:
        name = env.hw.error_name(st.error)
        await env.wait_until(lambda: env._halted(ch), budget, f"halt after {name}", ch, poll=16)
        await ClockCycles(env.dut.clk, 50)
        moved = sb.w_beats
        await env.wait_trigger(env.hw.reset_channel(ch), env.budget(), "soft reset", ch)
        env.started[ch] = False
        env.source.clear()
        env._install_write_sb(env._idle_write_sb())
        result = Result("refused", name)
        if moved:
            raise CheckError(f"{probe.field} {probe.which}: {moved} data beats written for a packet refused "
                             f"with {name}; {st.raw}")
    else:
        ring.sync_for_cpu()
        for i, slot in enumerate(slots):
            s = ring.status(slot)
            if not s.complete or s.error or s.xferred != sb.fill[i]:
                raise CheckError(f"{probe.field} {probe.which}: descriptor {i} STATUS {vars(s)}, expected "
                                 f"complete with {sb.fill[i]} bytes")
        await env._retire_scoreboard(req)
        result = Result("accepted")
    env._allow(ch, [])
    req.window_done(win)
    req.finish()
    req.guards.check_guards()
    env.machine.free_frames(req.guards.held)
    return result


@cocotb.test()
async def limits_run(dut):
    """Every requested field at and past its declared limit (tb/limits.py)."""
    request = json.loads(os.environ["LIMITS_REQUEST"])
    env = DdiEnv(dut, int(os.environ.get("COCOTB_RANDOM_SEED", "1")), contiguity=0.0, granular=1)
    await env.start()
    planner = Planner(env.machine, env.caps, declared_attr(env.caps, request["attr"]))
    rows = []
    for name in request["fields"]:
        row = getattr(planner, f"row_{name}")()
        for probe in (row.at, row.past):
            if probe.which == "past" and row.at.result.status != "accepted":
                probe.result = Result("n/a")    # nothing to learn past a limit not held
            if probe.result is None:
                probe.result = await run_probe(env, probe)
        row.verdict = verdict(row)
        rows.append(row)
    env.final_checks()
    with open(request["out"], "w") as f:
        json.dump(rows_to_json(rows), f)

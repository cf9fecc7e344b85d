"""The simulator side of tb/limits.py: every probe bound through the DDI and run on sgdma.

The launcher (python -m tb.limits) passes LIMITS_REQUEST (JSON: the declared attr fields, the fields
to probe, the file to write). One cocotb test builds the DDI environment (tb/env/ddi.py), reads the
capability registers, plans each field's probes (tb/limits.Planner) on the machine's free frames and
runs each as one packet on each channel (tb/limits.CHANNELS: each channel's engine checks its own
limits): ddi_umem_lock, ddi_umem_iosetup, ddi_dma_buf_bind_handle under the probe's attr, the window's
cookies as the descriptors of one packet, the tail pointer, the interrupt. An accepted S2MM packet
receives a short stream packet (TLAST after SHORT bytes: the later buffers complete with length 0,
sgdma_s2mm.md), every W beat checked against it (tb/scoreboard.py); an accepted MM2S packet moves its
whole buffer (up to MAX_MM2S; longer probes are not run on MM2S) to the disk, every R and stream beat
checked; a refused one must move no data beat. Memory outside the cookies is checked per beat and by
guards. With the hide unit (HIDE_ENTRIES > 0) an empty processor cache answers its maintenance port.
"""

from __future__ import annotations

import json
import os

import cocotb
from cocotb.triggers import ClockCycles

from pyddi_model import ddi_dma_attr_t
from tb.cpu_cache import CpuCache, MaintenancePort
from tb.ddi_driver import MM2S, S2MM, DriverError
from tb.env.ddi import CheckError, DdiEnv
from tb.limits import (
    CHANNELS,
    MAX_MM2S,
    SHORT,
    Planner,
    Probe,
    Result,
    declared_attr,
    rows_to_json,
    summary,
    verdict,
)
from tb.scoreboard import ReadScoreboard, WriteScoreboard, segments_from_cookies

FETCH_POLLS = 8        # status polls, 16 cycles apart (plus one per descriptor), before the data goes in


async def run_probe(env: DdiEnv, probe: Probe, ch: str) -> Result:
    """Bind the probe's buffer for channel `ch` (S2MM: a disk read, MM2S: a disk write), check the DDI
    put the cookie where wanted, run it, say what happened; the mapping is removed afterwards so the
    other channel binds the same frames."""
    attr = ddi_dma_attr_t(**probe.attr)
    if ch == MM2S and probe.nbytes > MAX_MM2S:
        return Result("not run", f"MM2S moves the whole buffer: over {MAX_MM2S >> 10} KiB")
    make = env.disk_read if ch == S2MM else env.disk_write
    try:
        req = make(probe.nbytes, off=probe.off, blkno=0, attr=attr, frames=probe.frames)
    except DriverError as e:
        return Result("not reached", f"the DDI refused the bind ({e})")
    try:
        win = req.window(0)
        why = probe.check(win.cookies, win.length)
        if why:
            req.finish()
            return Result("not reached", f"the DDI gave {why}")
        result = await _run_window(env, probe, req, win)
        req.finish()
        req.guards.check_guards()
        return result
    finally:
        env.machine.free_frames(req.guards.held)
        req.proc.as_.munmap(req.va, req.npages * env.machine.pagesize)


async def _run_window(env: DdiEnv, probe: Probe, req, win) -> Result:
    """Window 0 as one packet on the request's channel: refused (no data beat may move) or accepted
    (every beat checked; S2MM: a short stream packet, MM2S: the whole buffer to the disk)."""
    ch = req.direction
    ring = env.rings[ch]
    descs = req.build_packets(win, ring, len(win.cookies))   # the whole window: one packet
    slots = [s for s, _ in descs]
    pk = win.packets[0]
    segments = segments_from_cookies(win.cookies)
    if ch == S2MM:
        data = env.store.read(pk.user, min(SHORT, win.length))
        one_packet = [list(range(len(win.cookies)))]
        sb = WriteScoreboard(segments, [data], env.data_bytes, packet_segments=one_packet)
        env._install_write_sb(sb)
        cookies = [(a, a + n, f"{probe.field} {probe.which} cookie {i}")
                   for i, (a, n) in enumerate(win.cookies)]
        fills = sb.fill
    else:
        sb = ReadScoreboard(segments, env.source_bytes(req, 0, win.length), env.data_bytes,
                            packets=[list(range(len(win.cookies)))], users=[pk.user])
        env._install_read_sb(sb)
        env.disk_sink.expect(pk.user, win.length)
        cookies, fills = [], [n for _, n in win.cookies]
    env._allow(ch, env._status_ranges(ch, slots) + cookies)
    budget = env.budget(win.length if ch == MM2S else SHORT, len(descs))
    await env._hand_over(ch, slots, 1)
    # The engine checks a packet's descriptors before any of its data moves: a refusal comes within the
    # fetch of the packet. The stream packet goes in only after that, so a refused packet leaves no
    # stream bytes behind for the next probe (a soft reset does not empty the stream source).
    for _ in range(FETCH_POLLS + len(descs)):
        await ClockCycles(env.dut.clk, 16)
        if (await env.hw.status(ch)).error:
            break
    else:
        if ch == S2MM:
            await env.disk_source.send_blocks(pk.user, len(data))
    st = await env.wait_irq(ch, budget, f"limits: {probe.field} {probe.which} on {ch}")
    if st.error:
        name = env.hw.error_name(st.error)
        await env.wait_until(lambda: env._halted(ch), budget, f"halt after {name}", ch, poll=16)
        await ClockCycles(env.dut.clk, 50)
        moved = sb.w_beats if ch == S2MM else sb.r_beats + sb.stream_beats
        await env.wait_trigger(env.hw.reset_channel(ch), env.budget(), "soft reset", ch)
        env.started[ch] = False
        if ch == S2MM:
            env.source.clear()
            env._install_write_sb(env._idle_write_sb())
        else:
            env.disk_sink.expectations.queue.clear()
            env._install_read_sb(env._idle_read_sb())
        result = Result("refused", name)
        if moved:
            raise CheckError(f"{probe.field} {probe.which} on {ch}: {moved} data beats moved for a packet "
                             f"refused with {name}; {st.raw}")
    else:
        ring.sync_for_cpu()
        for i, slot in enumerate(slots):
            s = ring.status(slot)
            if not s.complete or s.error or s.xferred != fills[i]:
                raise CheckError(f"{probe.field} {probe.which} on {ch}: descriptor {i} STATUS {vars(s)}, "
                                 f"expected complete with {fills[i]} bytes")
        if ch == MM2S:
            env.mm2s_packets += 1
            await env.wait_trigger(env.disk_sink.wait_packets(env.mm2s_packets), budget,
                                   f"limits: the {probe.field} {probe.which} packet on the disk", ch)
        await env._retire_scoreboard(req)
        result = Result("accepted")
    env._allow(ch, [])
    req.window_done(win)
    return result


def maintenance_responder(env: DdiEnv):
    """With the hide unit (HIDE_ENTRIES > 0) each hide asks the processor cache to clean its page: an
    empty write-back cache (tb/cpu_cache.py) answers, so a descriptor waits only for the unit itself."""
    if not env.params.get("HIDE_ENTRIES"):
        return None
    return MaintenancePort(env.dut, CpuCache(4096, 64, 2, writeback=env.mem.write))


@cocotb.test()
async def limits_run(dut):
    """Every requested field at and past its declared limit (tb/limits.py)."""
    request = json.loads(os.environ["LIMITS_REQUEST"])
    env = DdiEnv(dut, int(os.environ.get("COCOTB_RANDOM_SEED", "1")), contiguity=0.0, granular=1)
    await env.start()
    env.maintenance = maintenance_responder(env)
    planner = Planner(env.machine, env.caps, declared_attr(env.caps, request["attr"]))
    rows = []
    for name in request["fields"]:
        row = getattr(planner, f"row_{name}")()
        planned_past = row.past.result
        if row.at.result is None:
            for ch in CHANNELS:
                at = row.at.results[ch] = await run_probe(env, row.at, ch)
                if at.status != "accepted":
                    row.past.results[ch] = Result("n/a")     # nothing to learn past a limit not held
                elif planned_past is None:
                    row.past.results[ch] = await run_probe(env, row.past, ch)
                else:
                    row.past.results[ch] = planned_past
            row.at.result = summary(row.at.results)
            row.past.result = summary(row.past.results)
        elif row.at.result.status != "accepted" or planned_past is None:
            row.past.result = Result("n/a")
        row.verdict = verdict(row)
        rows.append(row)
    env.final_checks()
    with open(request["out"], "w") as f:
        json.dump(rows_to_json(rows), f)

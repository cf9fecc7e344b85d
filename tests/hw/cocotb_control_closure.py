"""Top-level sgdma tests that close functional bins, toggle bits and RTL lines the quick suite missed
(docs/coverage.md, Analysis). Each checks the behaviour docs/sgdma.md specifies, not only the bin:
  - test_abort_and_reset_by_state: RS=0 and CR.RESET written while the last SR read showed the channel
    running, halted, halted by an error or idle, on both channels (coverpoint
    control.kind_x_state_x_channel); an abort of a halted channel changes nothing, an error stays
    sticky through an abort, a soft reset always ends halted without error and with CR, CURDESC and
    TAILDESC at reset;
  - test_curdesc_after_fetch_error: CURDESC reads back the descriptor last completed: after a limit
    error that is the refused descriptor (its STATUS is written), after STALE the one before (kills the
    mutant `cur_desc_q <= ferr_wb_desc_q` stuck at ones, docs/mutation.md);
  - test_s2mm_stale_and_desc_align: STALE and DESC_ALIGN on S2MM (error.code_x_channel 7 and 15 x
    S2MM), nothing written to the buffer nor to the stale descriptor;
  - test_tail_misaligned_while_halted: a misaligned TAILDESC written while halted is refused with
    DESC_ALIGN at once (sgdma_sg.v, the tail check of a halted channel); a second error keeps the
    first one's ERRCODE and ERRDESC (sgdma_sg_csr.v);
  - test_ioc_and_timeout_pending_together: the idle timeout fires for a count below the threshold,
    then the threshold is reached before software acknowledges: SR shows both (irq.cause both);
  - test_perf_ctrl_and_unmapped_reads: PERF_CTRL reads 0 with OKAY, unmapped channel offsets answer
    SLVERR (sgdma_regs.v header);
  - test_high_addresses_random_user: rings, tail and error pointers and buffers just below 2**ADDR_WIDTH
    and random USER words: data, TUSER, STATUS and ERRDESC as usual (toggles of the high address and
    USER bits that the quick suite's map never drives).
The environment is tb/env/sgdma.SgdmaEnv on tb/hdl/harness/sgdma_tb.v (protocol checkers on every port).
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles
from cocotbext.axi import AxiStreamFrame
from cocotbext.axi.constants import AxiResp

from tb.env.sgdma import SgdmaEnv, frame_tuser, params_from_environment, stream_pattern
from tb.sgdma_desc import DESC_ALIGN, DESC_BYTES, ERR, STATUS_OFFSET, Descriptor
from tb.sgdma_regs import CHANNEL_BASE, pack, reg_addr

PARAMS = params_from_environment()
BYTES = PARAMS.get("DATA_WIDTH", 64) // 8
ADDR_WIDTH = PARAMS.get("ADDR_WIDTH", 64)
USER_BITS = 32
CMPLT = 1 << 31


def status_word(env: SgdmaEnv, desc_addr: int) -> int:
    return int.from_bytes(env.mem.read(desc_addr + STATUS_OFFSET, 4), "little")


async def make_env(dut, **kw) -> SgdmaEnv:
    env = SgdmaEnv(dut, PARAMS, **kw)
    await env.start()
    return env


async def expect_state(env: SgdmaEnv, ch: str, state: str) -> dict:
    """Read SR (the read the coverage samples the state from) and check the state it shows."""
    sr = await env.sr(ch)
    got = ("halted_error" if sr["ERR"] else "halted") if sr["HALTED"] else "idle" if sr["IDLE"] else "running"
    assert got == state, f"{ch}: SR {sr} shows {got}, expected {state}"
    return sr


async def start_held(env: SgdmaEnv, ch: str) -> list[int]:
    """A chain the channel cannot finish: MM2S with the stream sink paused, S2MM without input."""
    if ch == "MM2S":
        env.sink.pause = True
        descs, _ = env.mm2s_packet([BYTES * 64])
    else:
        descs = env.s2mm_packet([BYTES * 64])
    addrs = env.alloc_desc(len(descs))
    env.write_chain(addrs, descs)
    await env.run_chain(ch, addrs[0], addrs[-1])
    await ClockCycles(env.dut.clk, 60)
    return addrs


async def end_held(env: SgdmaEnv, ch: str) -> None:
    """Release the paused sink (an aborted MM2S packet ends when the sink takes the beat on offer)."""
    env.sink.pause = False
    await env.wait_sr(ch, "HALTED")
    await env.expect_quiet_after_halt(50)
    env.flush_streams()


async def expect_reset_values(env: SgdmaEnv, ch: str) -> None:
    cr = await env.regs.read(ch, "CR")
    cur, tail = await env.regs.read64(ch, "CURDESC"), await env.regs.read64(ch, "TAILDESC")
    assert (cr, cur, tail) == (0, 0, 0), \
        f"{ch} after soft reset: CR {cr:#x}, CURDESC {cur:#x}, TAILDESC {tail:#x}"


async def one_packet(env: SgdmaEnv, ch: str) -> list[int]:
    """One short packet run to completion (data and STATUS checked); returns its descriptor addresses."""
    if ch == "MM2S":
        descs, data = env.mm2s_packet([BYTES * 3 + 1])
    else:
        descs = env.s2mm_packet([BYTES * 4])
        data = stream_pattern(env.seed, BYTES * 3 + 1)
        await env.source.send(AxiStreamFrame(data))
    addrs = env.alloc_desc(len(descs))
    env.write_chain(addrs, descs)
    await env.run_chain(ch, addrs[0], addrs[-1])
    if ch == "MM2S":
        assert bytes((await env.recv_frame()).tdata) == data
    await env.wait_cmplt(addrs)
    if ch == "MM2S":
        env.expect_status(addrs[0], len(data))
    else:
        env.expect_status(addrs[0], len(data), RXSOF=1, RXEOF=1)
        assert env.mem.read(descs[0].addr, len(data)) == data
    return addrs


async def zero_len_halt(env: SgdmaEnv, ch: str) -> list[int]:
    """A packet whose second descriptor has LENGTH 0: refused with ZERO_LEN on it (a limit code)."""
    descs = env.mm2s_packet([BYTES, 8])[0] if ch == "MM2S" else env.s2mm_packet([BYTES, 8])
    descs[1].length = 0
    addrs = env.alloc_desc(2)
    env.write_chain(addrs, descs)
    await env.run_chain(ch, addrs[0], addrs[-1])
    await env.expect_halt_error(ch, ERR["ZERO_LEN"], addrs[1])
    env.expect_status(addrs[1], 0, ERR["ZERO_LEN"])
    env.expect_untouched(addrs[0])
    return addrs


@cocotb.test()
async def test_abort_and_reset_by_state(dut):
    """Abort (RS=0) and soft reset (CR.RESET) from every state, both channels (module docstring)."""
    env = await make_env(dut)
    for ch in ("MM2S", "S2MM"):
        # abort of a running channel: drains, halts without error
        await start_held(env, ch)
        await expect_state(env, ch, "running")
        await env.regs.write(ch, "CR", 0)
        await end_held(env, ch)
        sr = await expect_state(env, ch, "halted")
        assert sr["ERRCODE"] == 0 and sr["ERR_IRQ"] == 0, f"{ch}: an abort is not an error: {sr}"
        # abort of a halted channel: nothing happens
        since = env.now_ns()
        await env.regs.write(ch, "CR", 0)
        await ClockCycles(dut.clk, 20)
        await expect_state(env, ch, "halted")
        assert not env.bursts("AR", since) and not env.bursts("AW", since), \
            f"{ch}: bus traffic after an abort of a halted channel"
        # soft reset of a running channel: drains, halts, registers at reset
        await start_held(env, ch)
        await expect_state(env, ch, "running")
        env.sink.pause = False
        await env.soft_reset(ch)
        env.flush_streams()
        await expect_reset_values(env, ch)
        # soft reset of an idle channel
        await ClockCycles(dut.clk, 10)
        await one_packet(env, ch)
        await env.wait_sr(ch, "IDLE")
        await expect_state(env, ch, "idle")
        await env.soft_reset(ch)
        await expect_reset_values(env, ch)
        # abort of a channel halted by an error: the error stays (sticky until soft reset), RS stays 0
        bad = await zero_len_halt(env, ch)
        await expect_state(env, ch, "halted_error")
        await env.regs.write(ch, "CR", pack("CR", RS=1))       # setting RS has no effect until a reset
        await env.regs.write(ch, "CR", 0)
        sr = await expect_state(env, ch, "halted_error")
        assert sr["ERRCODE"] == ERR["ZERO_LEN"], f"{ch}: abort changed the sticky error: {sr}"
        assert await env.regs.read64(ch, "ERRDESC") == bad[1]
        await env.soft_reset(ch)
        await expect_reset_values(env, ch)
        await one_packet(env, ch)                                 # the channel works again
        await env.soft_reset(ch)
    env.check_guards()


@cocotb.test()
async def test_curdesc_after_fetch_error(dut):
    """CURDESC = the descriptor last completed: the refused one after a limit error (its STATUS is
    written with CMPLT), the last good one after STALE (nothing written), on both channels."""
    env = await make_env(dut)
    for ch in ("MM2S", "S2MM"):
        bad = await zero_len_halt(env, ch)
        cur = await env.regs.read64(ch, "CURDESC")
        assert cur == bad[1], f"{ch}: CURDESC {cur:#x} after ZERO_LEN, expected the refused {bad[1]:#x}"
        await env.soft_reset(ch)
        good = await one_packet(env, ch)
        await env.wait_sr(ch, "IDLE")
        # the completed descriptor's NEXT (as fetched) points at the free slot after it: software
        # hands over a descriptor there that it has not recycled (CMPLT still set)
        stale = good[0] + 2 * DESC_BYTES
        d = env.mm2s_packet([8])[0][0] if ch == "MM2S" else env.s2mm_packet([8])[0]
        d.status = CMPLT
        env.mem.write(stale, d.encode())
        since = env.now_ns()
        await env.write_tail(ch, stale)
        await env.expect_halt_error(ch, ERR["STALE"], stale)
        assert status_word(env, stale) == CMPLT, f"{ch}: STALE descriptor written"
        env.check_no_access(d.addr, 8, f"{ch}: buffer of a STALE descriptor", since)
        cur = await env.regs.read64(ch, "CURDESC")
        assert cur == good[0], f"{ch}: CURDESC {cur:#x} after STALE, expected the last completed {good[0]:#x}"
        await env.soft_reset(ch)
        env.flush_streams()


@cocotb.test()
async def test_s2mm_stale_and_desc_align(dut):
    """S2MM refuses a misaligned CURDESC (DESC_ALIGN, before any fetch) and a fetched descriptor with
    CMPLT set (STALE, its STATUS and buffer untouched); input waiting on the stream is not taken."""
    env = await make_env(dut)
    (a,) = env.alloc_desc(1)
    await env.expect_curdesc_refused("S2MM", a + 23)   # every low bit but 3 set
    d = env.s2mm_packet([BYTES * 4])[0]
    d.status = CMPLT
    env.write_chain([a], [d])
    await env.source.send(AxiStreamFrame(stream_pattern(env.seed, BYTES * 4)))
    since = env.now_ns()
    await env.run_chain("S2MM", a, a)
    await env.expect_halt_error("S2MM", ERR["STALE"], a)
    assert status_word(env, a) == CMPLT, "STALE descriptor written"
    env.check_no_access(d.addr, BYTES * 4, "buffer of a STALE descriptor", since)
    await env.expect_quiet_after_halt(50)
    await env.soft_reset("S2MM")
    env.flush_streams()
    env.check_guards()


@cocotb.test()
async def test_tail_misaligned_while_halted(dut):
    """A misaligned TAILDESC written while the channel is halted (RS=0): DESC_ALIGN with ERRDESC = the
    tail (a + 23: pointer bits 0-2 and 4 set), the channel stays halted, nothing is fetched; a second
    misaligned tail raises ERR_IRQ again but ERRCODE and ERRDESC keep the first error; a soft reset
    clears it. Both channels."""
    env = await make_env(dut)
    for ch in ("MM2S", "S2MM"):
        (a,) = env.alloc_desc(1)
        since = env.now_ns()
        await env.write_tail(ch, a + DESC_ALIGN // 2 + 7)
        await env.expect_halt_error(ch, ERR["DESC_ALIGN"], a + DESC_ALIGN // 2 + 7)
        assert (await env.sr(ch))["ERR_IRQ"] == 1
        # a second error: ERR_IRQ again, but SR.ERRCODE and ERRDESC keep the first one
        await env.regs.write(ch, "SR", pack("SR", ERR_IRQ=1))
        assert (await env.sr(ch))["ERR_IRQ"] == 0
        await env.write_tail(ch, a + DESC_ALIGN // 4)
        sr = await env.sr(ch)
        assert sr["ERR_IRQ"] == 1 and sr["ERRCODE"] == ERR["DESC_ALIGN"], f"{ch}: second error: {sr}"
        assert await env.regs.read64(ch, "ERRDESC") == a + DESC_ALIGN // 2 + 7, f"{ch}: ERRDESC changed"
        await ClockCycles(dut.clk, 20)
        assert not env.bursts("AR", since), f"{ch}: fetched after a refused tail"
        await env.soft_reset(ch)
        await one_packet(env, ch)
        await env.soft_reset(ch)


@cocotb.test()
async def test_ioc_and_timeout_pending_together(dut):
    """IRQ_THRESHOLD 2, IRQ_DELAY 40: one IOC descriptor, then idle: the timeout fires (DLY_IRQ, count
    0); two more IOC descriptors before software acknowledges: IOC_IRQ too, both pending; W1C clears
    each. Both channels."""
    env = await make_env(dut)
    cr = {"IOC_IRQ_EN": 1, "DLY_IRQ_EN": 1, "IRQ_THRESHOLD": 2, "IRQ_DELAY": 40}
    irq = {"MM2S": dut.irq_mm2s, "S2MM": dut.irq_s2mm}
    for ch in ("MM2S", "S2MM"):
        n = BYTES * 2
        if ch == "MM2S":
            descs = [env.mm2s_packet([n], ioc=True)[0][0] for _ in range(3)]
        else:
            descs = [env.s2mm_packet([n], ioc=True)[0] for _ in range(3)]
            for i in range(3):
                await env.source.send(AxiStreamFrame(stream_pattern(env.seed + i, n)))
        addrs = env.alloc_desc(3)
        env.write_chain(addrs, descs)
        await env.run_chain(ch, addrs[0], addrs[0], cr)
        await env.wait_cmplt(addrs[:1])
        sr = await env.wait_sr(ch, "IRQ_COUNT", 1, timeout=30)
        assert sr["IOC_IRQ"] == 0 and sr["DLY_IRQ"] == 0, f"{ch}: one IOC below the threshold: {sr}"
        sr = await env.wait_sr(ch, "DLY_IRQ", timeout=400)
        assert sr["IOC_IRQ"] == 0 and sr["IRQ_COUNT"] == 0 and irq[ch].value == 1, f"{ch}: timeout: {sr}"
        await env.write_tail(ch, addrs[2])
        await env.wait_cmplt(addrs[1:])
        sr = await env.wait_sr(ch, "IOC_IRQ")
        assert sr["DLY_IRQ"] == 1 and sr["IRQ_COUNT"] == 0, f"{ch}: both pending expected: {sr}"
        await env.regs.write(ch, "SR", pack("SR", DLY_IRQ=1))
        sr = await env.sr(ch)
        assert (sr["IOC_IRQ"], sr["DLY_IRQ"]) == (1, 0) and irq[ch].value == 1, f"{ch}: after W1C DLY: {sr}"
        await env.regs.write(ch, "SR", pack("SR", IOC_IRQ=1))
        await ClockCycles(dut.clk, 2)
        sr = await env.sr(ch)
        assert (sr["IOC_IRQ"], sr["DLY_IRQ"]) == (0, 0) and irq[ch].value == 0, f"{ch}: after W1C IOC: {sr}"
        for a in addrs:
            env.expect_status(a, n, **({"RXSOF": 1, "RXEOF": 1} if ch == "S2MM" else {}))
        if ch == "MM2S":
            for _ in range(3):
                await env.recv_frame()
        await env.soft_reset(ch)


@cocotb.test()
async def test_perf_ctrl_and_unmapped_reads(dut):
    """PERF_CTRL (write-only) reads 0 with OKAY; the channel offsets past it answer SLVERR with 0."""
    env = await make_env(dut)
    await one_packet(env, "MM2S")
    for ch in ("MM2S", "S2MM"):
        resp = await env.axil.read(reg_addr(ch, "PERF_CTRL"), 4)
        assert resp.resp == AxiResp.OKAY and bytes(resp.data) == bytes(4), f"{ch} PERF_CTRL read {resp}"
        for off in (0x34, 0x38, 0x3C):
            resp = await env.axil.read(CHANNEL_BASE[ch] + off, 4)
            assert resp.resp == AxiResp.SLVERR and bytes(resp.data) == bytes(4), \
                f"{ch} unmapped offset {off:#x}: {resp}"
    assert await env.regs.read("MM2S", "PERF_DESC") == 1, "PERF_DESC changed by the reads"


@cocotb.test()
async def test_high_addresses_random_user(dut):
    """Descriptor rings and buffers in the top MiB below 2**ADDR_WIDTH, random USER words: MM2S packets
    (data, TUSER = the SOF descriptor's USER), S2MM packets (data, STATUS), then a refused descriptor
    up there (ERRDESC, TAILDESC and CURDESC read back whole). A buffer ending on the last byte of the
    address space is accepted."""
    top = 1 << ADDR_WIDTH
    env = await make_env(dut, desc_base=top - (1 << 20), buf_base=top - (1 << 19))
    rng = env.rng
    users = [rng.getrandbits(USER_BITS) for _ in range(6)]
    mm, expect = [], []
    for u in users:
        descs, data = env.mm2s_packet([rng.randrange(1, BYTES * 24)], user=u)
        mm += descs
        expect.append((data, u))
    ma = env.alloc_desc(len(mm))
    env.write_chain(ma, mm)
    sd = []
    for u in users:
        d = env.s2mm_packet([BYTES * 8])[0]
        d.user = u
        sd.append(d)
    last = Descriptor(addr=top - BYTES * 4, length=BYTES * 4, sof=True, eof=True, user=users[0])
    sd.append(last)
    sa = env.alloc_desc(len(sd))
    env.write_chain(sa, sd)
    payloads = [stream_pattern(env.seed + i, rng.randrange(1, BYTES * 8)) for i in range(len(users))]
    payloads.append(stream_pattern(env.seed + 99, BYTES * 4))
    for p in payloads:
        await env.source.send(AxiStreamFrame(p))
    await env.run_chain("MM2S", ma[0], ma[-1])
    await env.run_chain("S2MM", sa[0], sa[-1])
    assert await env.regs.read64("S2MM", "TAILDESC") == sa[-1]
    for data, u in expect:
        f = await env.recv_frame()
        assert bytes(f.tdata) == data and frame_tuser(f) == {u}, f"frame TUSER {f.tuser}, expected {u:#x}"
    await env.wait_cmplt(ma + sa)
    for a, d in zip(ma, mm, strict=True):
        env.expect_status(a, d.length)
    for a, d, p in zip(sa, sd, payloads, strict=True):
        env.expect_status(a, len(p), RXSOF=1, RXEOF=1)
        assert env.mem.read(d.addr, len(p)) == p
    assert await env.regs.read64("MM2S", "CURDESC") == ma[-1]
    assert await env.regs.read64("S2MM", "CURDESC") == sa[-1]
    await env.stop("MM2S")
    # a buffer whose last byte is past 2**ADDR_WIDTH, described at the top of the ring: ADDR_RANGE
    (ba,) = env.alloc_desc(1)
    bad = Descriptor(addr=top - 4, length=8, sof=True, eof=True, user=rng.getrandbits(USER_BITS))
    env.write_chain([ba], [bad])
    await env.run_chain("MM2S", ba, ba)
    await env.expect_halt_error("MM2S", ERR["ADDR_RANGE"], ba)
    env.expect_status(ba, 0, ERR["ADDR_RANGE"])
    assert ba >> (ADDR_WIDTH - 1) == 1 and await env.regs.read64("MM2S", "CURDESC") == ba
    await env.soft_reset("MM2S")
    env.check_guards()


@cocotb.test()
async def test_curdesc_written_only_while_halted(dut):
    """CURDESC is written while HALTED (docs/sgdma.md, Running a channel): a CURDESC_HI write while the
    channel runs changes nothing, not even the half that a later single-word write keeps, so after the
    halt a CURDESC_LO write alone points at {the HI written while halted, the new LO}."""
    env = await make_env(dut)
    for ch in ("MM2S", "S2MM"):
        first = await one_packet(env, ch)                   # running (RS=1), idle at its tail
        await env.regs.write(ch, "CURDESC_HI", (first[0] >> 32) ^ 0x5A)
        await env.stop(ch)
        (nxt,) = env.alloc_desc(1)
        assert nxt >> 32 == first[0] >> 32, "the test needs both descriptors under one CURDESC_HI"
        await env.regs.write(ch, "CURDESC_LO", nxt & 0xFFFF_FFFF)
        cur = await env.regs.read64(ch, "CURDESC")
        assert cur == nxt, f"{ch}: CURDESC {cur:#x} after a LO write while halted, expected {nxt:#x} " \
                           "(a HI written while running must not count)"
        await env.soft_reset(ch)
        env.flush_streams()
        await one_packet(env, ch)                           # the channel still runs
        await env.soft_reset(ch)

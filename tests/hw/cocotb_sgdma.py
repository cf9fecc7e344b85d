"""Top-level cocotb tests for sgdma: descriptors in memory, registers over AXI4-Lite, streams.

The environment is tb/env/sgdma.SgdmaEnv: tb/axi_memory.AxiMemory on m_axi (and m_axi_sg with
SG_PORT=1; one byte store and one fault map) with its burst log at the handshake ("no access to this
buffer", "nothing after the halt", latency) and guard bytes around every buffer (dmatest patterns,
compared after the tests); registers through tb/sgdma_regs.py and descriptors through
tb/sgdma_desc.py (every register, field, offset and error code from hdl/sgdma_map.json);
AxiStreamSink on m_axis (MM2S), AxiStreamSource on s_axis (S2MM); seeded pause generators.
Parameters come from the launcher in SGDMA_PARAMS (JSON).
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiStreamFrame
from cocotbext.axi.constants import AxiResp

from tb.env.base import WatchdogError
from tb.env.sgdma import (
    DST_FILL,
    GUARD,
    ID_DATA,
    ID_MM2S,
    ID_S2MM,
    SgdmaEnv,
    frame_tuser,
    params_from_environment,
    src_pattern,
    stream_pattern,
)
from tb.sgdma_desc import DESC_ALIGN, DESC_BYTES, ERR, ERR_NAME, STATUS_OFFSET, Descriptor
from tb.sgdma_regs import GLOBAL_REGS, pack, reg_addr, unpack
from tb.sim_runner import sgdma_defaults
from tb.write_watch import WriteWatch

PARAMS = params_from_environment()
DW = PARAMS.get("DATA_WIDTH", 64)
AW = PARAMS.get("ADDR_WIDTH", 64)
LEN_WIDTH = PARAMS.get("LEN_WIDTH", 24)
SGL_MAX = PARAMS.get("SGL_MAX", 16)
SEG_LOG2 = PARAMS.get("SEG_LOG2", 32)
SG_PORT = PARAMS.get("SG_PORT", sgdma_defaults()["SG_PORT"])
ALIGN_LOG2 = PARAMS.get("ALIGN_LOG2", 0)
BYTES = DW // 8


async def make_env(dut) -> SgdmaEnv:
    env = SgdmaEnv(dut, PARAMS)
    await env.start()
    return env


# ================================================================================================
# tests
# ================================================================================================
@cocotb.test()
async def test_id_and_capabilities(dut):
    """ID and CAP0..CAP3 equal the parameters; an unmapped offset answers SLVERR."""
    env = await make_env(dut)
    r = env.regs
    assert await r.read(None, "ID") == int(GLOBAL_REGS["ID"]["reset"], 16)
    cap0 = unpack("CAP0", await r.read(None, "CAP0"))
    cap1 = unpack("CAP1", await r.read(None, "CAP1"))
    cap2 = unpack("CAP2", await r.read(None, "CAP2"))
    assert cap0 == {"DATA_BYTES": BYTES, "ADDR_WIDTH": AW, "LEN_WIDTH": LEN_WIDTH,
                    "ALIGN_LOG2": ALIGN_LOG2}, cap0
    assert cap1 == {"MAX_BURST_LEN": PARAMS["MAX_BURST_LEN"], "MAX_OUTSTANDING": PARAMS["MAX_OUTSTANDING"],
                    "SEG_LOG2": SEG_LOG2}, cap1
    assert cap2 == {"SGL_MAX": SGL_MAX, "HIDE_ENTRIES": PARAMS.get("HIDE_ENTRIES", 0),
                    "SG_PORT": SG_PORT}, cap2
    cap3 = unpack("CAP3", await r.read(None, "CAP3"))
    want3 = {k: PARAMS.get(k, sgdma_defaults()[k]) for k in ("DESC_PREFETCH", "DESC_BURST", "WB_OUTSTANDING")}
    # a fetch burst is at most MAX_BURST_LEN beats, and at least one 32-byte descriptor
    fit = max(1, PARAMS.get("MAX_BURST_LEN", sgdma_defaults()["MAX_BURST_LEN"]) // (DESC_BYTES // BYTES))
    want3["DESC_BURST"] = min(want3["DESC_BURST"], fit)
    assert cap3 == want3, cap3
    unmapped = reg_addr(None, "CAP3") + 4
    resp = await env.axil.read(unmapped, 4)
    assert resp.resp == AxiResp.SLVERR, f"unmapped read answered {resp.resp!r}"
    resp = await env.axil.write(reg_addr("MM2S", "PERF_BUSY"), b"\1\0\0\0")
    assert resp.resp == AxiResp.SLVERR, f"write to a read-only register answered {resp.resp!r}"
    sr = await env.sr("MM2S")
    assert sr["HALTED"] == 1 and sr["IDLE"] == 0, sr


@cocotb.test()
async def test_one_descriptor_each_way(dut):
    """One descriptor MM2S and one S2MM: data, TKEEP/TLAST, TUSER, STATUS write-back, guards."""
    env = await make_env(dut)
    descs, data = env.mm2s_packet([301], user=0x1234_5678)
    (ma,) = env.alloc_desc(1)
    env.write_chain([ma], descs)
    await env.run_chain("MM2S", ma, ma)
    frame = await env.recv_frame()
    assert bytes(frame.tdata) == data, "MM2S data mismatch"
    assert frame_tuser(frame) == {0x1234_5678}, f"TUSER {frame.tuser}"
    await env.wait_sr("MM2S", "IDLE")
    env.expect_status(ma, 301)

    sdescs = env.s2mm_packet([256])
    (sa,) = env.alloc_desc(1)
    env.write_chain([sa], sdescs)
    payload = stream_pattern(env.seed, 200)
    await env.run_chain("S2MM", sa, sa)
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_sr("S2MM", "IDLE")
    env.expect_status(sa, 200, RXSOF=1, RXEOF=1)
    got = env.mem.read(sdescs[0].addr, 256)
    assert got[:200] == payload, "S2MM data mismatch"
    assert got[200:] == bytes([DST_FILL]) * 56, "S2MM wrote past the stream packet"
    env.check_guards()
    # descriptor fetches use the channel's ID, data ID 0
    assert {b.id for b in env.bursts("AR") if b.addr == ma} == {ID_MM2S}
    assert {b.id for b in env.bursts("AW") if b.addr == sa + STATUS_OFFSET} == {ID_S2MM}


@cocotb.test()
async def test_chains_and_packets(dut):
    """Several multi-descriptor packets (up to SGL_MAX descriptors) each way, under backpressure."""
    env = await make_env(dut)
    env.backpressure(0.3)
    rng = env.rng
    packets, frames, addrs_all = [], [], []
    for p in range(3):
        n = 1 + (p * 2) % SGL_MAX if p < 2 else SGL_MAX
        lengths = [rng.randrange(1, 200) for _ in range(n)]
        descs, data = env.mm2s_packet(lengths, user=0x100 + p, offset=rng.randrange(0, 16) << ALIGN_LOG2)
        packets.append(descs)
        frames.append((data, 0x100 + p))
    flat = [d for pk in packets for d in pk]
    addrs_all = env.alloc_desc(len(flat))
    env.write_chain(addrs_all, flat)
    await env.run_chain("MM2S", addrs_all[0], addrs_all[-1])
    for data, user in frames:
        f = await env.recv_frame()
        assert bytes(f.tdata) == data, "MM2S packet data mismatch"
        assert frame_tuser(f) == {user}, f"TUSER {f.tuser} expected {user:#x}"
    await env.wait_sr("MM2S", "IDLE")
    for a, d in zip(addrs_all, flat, strict=True):
        env.expect_status(a, d.length)

    # S2MM: a 3-buffer packet filled exactly, then one ending early (TLAST in buffer 2 of 3)
    s1 = env.s2mm_packet([64, 100, 36])
    s2 = env.s2mm_packet([50, 50, 50])
    sflat = s1 + s2
    saddrs = env.alloc_desc(len(sflat))
    env.write_chain(saddrs, sflat)
    p1 = stream_pattern(env.seed + 1, 200)
    p2 = stream_pattern(env.seed + 2, 70)
    await env.run_chain("S2MM", saddrs[0], saddrs[-1])
    await env.source.send(AxiStreamFrame(p1))
    await env.source.send(AxiStreamFrame(p2))
    await env.wait_sr("S2MM", "IDLE")
    got1 = b"".join(env.mem.read(d.addr, d.length) for d in s1)
    assert got1 == p1
    env.expect_status(saddrs[0], 64, RXSOF=1, RXEOF=0)
    env.expect_status(saddrs[1], 100, RXSOF=0, RXEOF=0)
    env.expect_status(saddrs[2], 36, RXSOF=0, RXEOF=1)
    assert env.mem.read(s2[0].addr, 50) == p2[:50] and env.mem.read(s2[1].addr, 20) == p2[50:]
    assert env.mem.read(s2[1].addr + 20, 30) == bytes([DST_FILL]) * 30
    env.expect_status(saddrs[3], 50, RXSOF=1, RXEOF=0)
    env.expect_status(saddrs[4], 20, RXSOF=0, RXEOF=1)
    env.expect_status(saddrs[5], 0, RXSOF=0, RXEOF=0)
    env.check_no_access(s2[2].addr, 50, "S2MM buffer after TLAST")
    env.check_guards()


@cocotb.test()
async def test_tail_extension_and_stale(dut):
    """A later tail write continues the chain; the same tail written again is ignored; a descriptor with
    CMPLT already set is refused (STALE)."""
    env = await make_env(dut)
    addrs = env.alloc_desc(4)
    d1, data1 = env.mm2s_packet([40])
    d2, data2 = env.mm2s_packet([72])
    d3, data3 = env.mm2s_packet([24])
    ring = [d1[0], d2[0], d3[0]]
    env.write_chain(addrs[:3], ring, last_next=addrs[0])        # a ring of 3
    await env.run_chain("MM2S", addrs[0], addrs[0])
    assert bytes((await env.recv_frame()).tdata) == data1
    await env.wait_sr("MM2S", "IDLE")
    env.expect_untouched(addrs[1])                                # nothing past the tail
    # docs/sgdma.md "Running a channel": writing the same tail again is ignored (no fetch of its NEXT)
    await env.write_tail("MM2S", addrs[0])
    await env.expect_quiet_after_halt(200)                        # no AR/AW at all
    env.expect_untouched(addrs[1])
    assert env.sink.empty(), "data after the same tail was written again"
    await env.write_tail("MM2S", addrs[2])                        # extend by two
    assert bytes((await env.recv_frame()).tdata) == data2
    assert bytes((await env.recv_frame()).tdata) == data3
    await env.wait_sr("MM2S", "IDLE")
    for a, n in zip(addrs[:3], (40, 72, 24), strict=True):
        env.expect_status(a, n)
    # wrap the ring onto descriptor 0, whose STATUS software has not recycled: STALE
    before = env.mem.read(addrs[0], DESC_BYTES)
    since = env.now_ns()
    await env.write_tail("MM2S", addrs[0])
    await env.expect_halt_error("MM2S", ERR["STALE"], addrs[0])
    assert env.mem.read(addrs[0], DESC_BYTES) == before, "a stale descriptor was written"
    env.check_no_access(d1[0].addr, 40, "stale descriptor's buffer", since)
    assert env.sink.empty(), "data after a stale descriptor"
    await env.expect_quiet_after_halt()
    env.check_guards()


@cocotb.test()
async def test_speculative_fetch_dropped(dut):
    """Descriptor prefetch reads ahead of the chain (contiguous addresses up to the tail), but what it
    reads off the chain changes nothing: a chain with stride 64 whose free slots hold a completed
    (STALE) descriptor and a slot answering DECERR runs to the end without error, every STATUS
    written, the off-chain slots untouched. The bus log shows the speculative read really covered
    them. Negative control: the same stale slot linked into the chain is refused (STALE)."""
    env = await make_env(dut)
    addrs = env.alloc_desc(3)                                       # stride 64: a free slot after each
    stale_slot, fault_slot = addrs[0] + DESC_BYTES, addrs[1] + DESC_BYTES
    d, payloads = [], []
    for n in (48, 56, 40):
        dd, data = env.mm2s_packet([n])
        d += dd
        payloads.append(data)
    env.write_chain(addrs, d)
    old, _ = env.mm2s_packet([16])
    old[0].next = addrs[1]
    env.mem.write(stale_slot, old[0].encode())
    stale_word = (1 << 31) | 16                                     # CMPLT: already completed
    env.mem.write(stale_slot + STATUS_OFFSET, stale_word.to_bytes(4, "little"))
    env.mem.errors.add(fault_slot, DESC_BYTES, "DECERR", on="read")
    since = env.now_ns()
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    for data in payloads:
        assert bytes((await env.recv_frame()).tdata) == data
    await env.wait_sr("MM2S", "IDLE")
    sr = await env.sr("MM2S")
    assert sr["ERR"] == 0 and sr["ERRCODE"] == 0, f"an off-chain read was reported: {sr}"
    for a, n in zip(addrs, (48, 56, 40), strict=True):
        env.expect_status(a, n)
    assert int.from_bytes(env.mem.read(stale_slot + STATUS_OFFSET, 4), "little") == stale_word, \
        "the speculatively read stale slot was written"
    env.expect_untouched(fault_slot)
    reads = [b for m in env.dma_ports() for b in m.bursts_touching(stale_slot, DESC_BYTES, since)
             if b.channel == "AR"]
    faulted = [b for m in env.dma_ports() for b in m.bursts_touching(fault_slot, DESC_BYTES, since)
               if b.channel == "AR"]
    assert reads and faulted, "no speculative read of the off-chain slots: the test did not exercise prefetch"
    # negative control: linked into the chain, the same stale slot is refused
    await env.stop("MM2S")
    env.mem.errors.clear()
    d2, _ = env.mm2s_packet([32])
    a2 = env.alloc_desc(1)
    env.write_chain(a2, d2, last_next=stale_slot)
    await env.run_chain("MM2S", a2[0], stale_slot)
    await env.expect_halt_error("MM2S", ERR["STALE"], stale_slot)


async def _limit_case(env: SgdmaEnv, ch: str, lengths_addrs: list[tuple[int, int]], code: int | None,
                      bad_index: int | None = None) -> None:
    """One packet of (addr, length) buffers on channel ch: code None = must complete, else must be refused
    with `code` on descriptor bad_index, with no bus access to any of the packet's buffers."""
    descs = [Descriptor(addr=a, length=n, sof=i == 0, eof=i == len(lengths_addrs) - 1)
             for i, (a, n) in enumerate(lengths_addrs)]
    addrs = env.alloc_desc(len(descs))
    env.write_chain(addrs, descs)
    since = env.now_ns()
    if ch == "S2MM" and code is None:
        total = sum(n for _, n in lengths_addrs)
        await env.source.send(AxiStreamFrame(stream_pattern(env.seed, total)))
    await env.run_chain(ch, addrs[0], addrs[-1])
    if code is None:
        if ch == "MM2S":
            f = await env.recv_frame()
            assert len(f.tdata) == sum(n for _, n in lengths_addrs)
        await env.wait_sr(ch, "IDLE")
        for a, (_, n) in zip(addrs, lengths_addrs, strict=True):
            st = env.status(a)
            assert st["CMPLT"] == 1 and st["ERR"] == 0 and st["XFERRED"] == n, \
                f"at-limit descriptor refused: {st}"
        await env.regs.write(ch, "CR", 0)
        await env.wait_sr(ch, "HALTED")
        return
    await env.expect_halt_error(ch, code, addrs[bad_index])
    env.expect_status(addrs[bad_index], 0, code)
    for i, a in enumerate(addrs):
        if i != bad_index:
            env.expect_untouched(a)
    for a, n in lengths_addrs:
        env.check_no_access(a, max(n, 1), f"refused packet ({ERR_NAME[code]})", since)
    assert env.sink.empty(), "MM2S emitted data of a refused packet"
    await env.expect_quiet_after_halt(50)
    await env.soft_reset(ch)


@cocotb.test()
async def test_limits(dut):
    """Every hardware limit at its value (transfer works) and past it (refused, own code, no bus access)."""
    env = await make_env(dut)
    seg = 1 << SEG_LOG2
    align = 1 << ALIGN_LOG2
    max_len = (1 << LEN_WIDTH) - 1
    for ch in ("MM2S", "S2MM"):
        alloc = env.alloc
        # ZERO_LEN
        await _limit_case(env, ch, [(alloc(16), 0)], ERR["ZERO_LEN"], 0)
        # LEN_RANGE: 2**LEN_WIDTH-1 works only if it fits a segment; test the past-limit value
        seg_base = (env.buf_next // seg + 1) * seg
        env.buf_next = seg_base + seg
        if max_len < seg:
            env.mem.write(seg_base, src_pattern(seg_base, max_len))
            await _limit_case(env, ch, [(seg_base, max_len)], None)
        await _limit_case(env, ch, [(seg_base, max_len + 1)], ERR["LEN_RANGE"], 0)
        # MISALIGN (when alignment is required)
        if ALIGN_LOG2 > 0:
            await _limit_case(env, ch, [(alloc(64, align=64) + align, 32)], None)
            await _limit_case(env, ch, [(alloc(64, align=64) + align // 2, 32)], ERR["MISALIGN"], 0)
        # SEG_CROSS: a buffer ending on the last byte of a segment works, one byte more is refused
        seg_base = (env.buf_next // seg + 2) * seg
        env.buf_next = seg_base + seg
        at = seg_base + seg - 64
        env.mem.write(at, src_pattern(at, 64))
        await _limit_case(env, ch, [(at, 64)], None)
        await _limit_case(env, ch, [(at + align, 64)], ERR["SEG_CROSS"], 0)
        # ADDR_RANGE: last byte at 2**ADDR_WIDTH-1 is fine (in range) but crossing it is refused;
        # a start beyond ADDR_WIDTH is refused
        if AW < 64:
            top = (1 << AW) - 64
            env.mem.write(top, src_pattern(top, 64))
            await _limit_case(env, ch, [(top, 64)], None)
            await _limit_case(env, ch, [(1 << AW, 16)], ERR["ADDR_RANGE"], 0)
            await _limit_case(env, ch, [(top + align, 64 + align)], ERR["ADDR_RANGE"], 0)
        # SGL_OVER: SGL_MAX descriptors in a packet work, SGL_MAX+1 are refused (on the extra one)
        okp = [(alloc(32, fill=src_pattern(0, 32)), 32) for _ in range(SGL_MAX)]
        await _limit_case(env, ch, okp, None)
        badp = [(alloc(32), 32) for _ in range(SGL_MAX + 1)]
        await _limit_case(env, ch, badp, ERR["SGL_OVER"], SGL_MAX)
        # a refused descriptor in the middle of a packet stops the whole packet
        midp = [(alloc(32), 32), (alloc(32), 0), (alloc(32), 32)]
        await _limit_case(env, ch, midp, ERR["ZERO_LEN"], 1)
    env.check_guards()


@cocotb.test()
async def test_desc_align(dut):
    """A misaligned CURDESC or TAILDESC is refused with DESC_ALIGN before any fetch."""
    env = await make_env(dut)
    (a,) = env.alloc_desc(1)
    await env.expect_curdesc_refused("MM2S", a + 8)
    descs, _ = env.mm2s_packet([16])
    env.write_chain([a], descs, last_next=a + DESC_ALIGN // 2)     # next pointer misaligned
    await env.run_chain("MM2S", a, a)
    await env.recv_frame()
    await env.wait_sr("MM2S", "IDLE")
    await env.write_tail("MM2S", a + 4 * DESC_ALIGN)
    await env.expect_halt_error("MM2S", ERR["DESC_ALIGN"], a + DESC_ALIGN // 2)


def write_back_watch(env: SgdmaEnv) -> WriteWatch:
    """A WriteWatch on the DUT side of the port that carries the STATUS write-backs."""
    watch = WriteWatch(env.dut, "dut_m_axi_sg" if env.sg_port else "dut_m_axi", lambda: env.cycle)
    watch.start()
    return watch


def check_no_write_back_after(watch: WriteWatch, desc_of: dict[int, int], cycle: int, what: str) -> None:
    """No write-back to a STATUS word of desc_of (STATUS address -> descriptor index) started after
    `cycle` + 1 (one decided in that cycle starts at the next edge)."""
    late = [(c, desc_of[a]) for c, a in watch.offers if a in desc_of and c > cycle + 1]
    assert not late, f"write-backs started after {what} (cycle {cycle}): (cycle, descriptor) {late}"


async def _fault_case(env: SgdmaEnv, ch: str, where, length: int, resp: str, on: str, code: int,
                      errdesc_index: int, written_back: bool, n_frames: int, n_desc: int = 3,
                      b_latency: int = 0) -> None:
    """A 1-descriptor-per-packet chain of n_desc; `resp` (SLVERR/DECERR) answers `on` (read/write)
    accesses to `length` bytes at where(descriptor addresses, descriptors); check the error report
    and the halt. b_latency: the port of the write-backs answers each B after up to b_latency more
    cycles (tb/axi_memory.AxiMemory.b_latency), so that statuses wait behind a slow B."""
    env.mem.errors.clear()
    wb_mem = env.sg_mem or env.mem
    wb_mem.b_latency = b_latency
    descs = []
    for _ in range(n_desc):
        descs += env.mm2s_packet([96])[0] if ch == "MM2S" else env.s2mm_packet([96])
    addrs = env.alloc_desc(n_desc)
    env.write_chain(addrs, descs)
    env.mem.errors.add(where(addrs, descs), length, resp, on=on)
    wb_error = code in (ERR["WB_SLVERR"], ERR["WB_DECERR"])
    if wb_error:        # when the engine decided each write-back, on its side of the hostile shim
        watch = write_back_watch(env)
    if ch == "S2MM":
        # only the frames the channel can take before it halts (the rest would stay in the source)
        for _ in range(n_frames):
            await env.source.send(AxiStreamFrame(stream_pattern(env.seed, 96)))
    await env.run_chain(ch, addrs[0], addrs[-1])
    await env.expect_halt_error(ch, code, addrs[errdesc_index])
    if written_back:
        st = env.status(addrs[errdesc_index])
        assert st["CMPLT"] == 1 and st["ERR"] == 1 and st["ERRCODE"] == code, st
    whole = {"RXSOF": 1, "RXEOF": 1} if ch == "S2MM" else {}     # a completed one-descriptor packet
    for i in range(errdesc_index):
        env.expect_status(addrs[i], 96, **whole)
    later = range(errdesc_index + 1, n_desc)
    if wb_error:
        # docs/sgdma.md "Errors": after the error B the statuses of later commands are discarded, so no
        # write-back starts after it (at its edge + 1 at the latest: one decided in the B's own cycle)
        watch.stop()
        assert watch.error_responses, "the injected write-back error never reached the engine"
        check_no_write_back_after(watch, {addrs[i] + STATUS_OFFSET: i for i in range(n_desc)},
                                  watch.error_responses[0][0], "the error B")
        # "Status write-back": up to WB_OUTSTANDING write-backs are in flight and their B responses are
        # handled in order, so the descriptors after the failing one whose write-backs were already
        # issued when its B came back (a slow B) complete normally; the rest stay untouched
        in_flight = (await env.regs.read_fields(None, "CAP3"))["WB_OUTSTANDING"]
        done = 0
        while done < len(later) and env.status(addrs[later[done]])["CMPLT"]:
            env.expect_status(addrs[later[done]], 96, **whole)
            done += 1
        assert done <= in_flight - 1, f"{done} write-backs after the failing one, WB_OUTSTANDING {in_flight}"
        later = later[done:]
    for i in later:
        env.expect_untouched(addrs[i])
    await env.expect_quiet_after_halt()
    env.mem.errors.clear()
    wb_mem.b_latency = 0
    await env.soft_reset(ch)
    env.flush_streams()


@cocotb.test()
async def test_fault_injection(dut):
    """SLVERR/DECERR on descriptor fetch, data read/write and status write-back: right code, halt, quiet."""
    env = await make_env(dut)
    for ch in ("MM2S", "S2MM"):
        data_on = "read" if ch == "MM2S" else "write"
        for resp in ("SLVERR", "DECERR"):
            # descriptor fetch of descriptor 1
            await _fault_case(env, ch, lambda a, d: a[1], DESC_BYTES, resp, "read", ERR[f"DESC_{resp}"],
                              1, False, 1)
            # data of descriptor 1
            await _fault_case(env, ch, lambda a, d: d[1].addr + 40, 1, resp, data_on, ERR[f"DATA_{resp}"],
                              1, True, 2)
            # STATUS write-back of descriptor 0 (the data already moved)
            await _fault_case(env, ch, lambda a, d: a[0] + STATUS_OFFSET, DESC_BYTES - STATUS_OFFSET, resp,
                              "write", ERR[f"WB_{resp}"], 0, False, 1)
    # the same with a slow B (up to 200 more cycles): later statuses arrive while the failing
    # write-back's B is held back, and those not written back when it arrives must be discarded
    # (docs/sgdma.md "Errors"; without this case test_fault_injection missed an engine that kept taking
    # statuses while it stopped: tests/mutation_targets.json)
    await _fault_case(env, "MM2S", lambda a, d: a[0] + STATUS_OFFSET, DESC_BYTES - STATUS_OFFSET, "SLVERR",
                      "write", ERR["WB_SLVERR"], 0, False, 1, n_desc=8, b_latency=200)
    # the engine is usable afterwards
    descs, data = env.mm2s_packet([128])
    (a,) = env.alloc_desc(1)
    env.write_chain([a], descs)
    await env.run_chain("MM2S", a, a)
    assert bytes((await env.recv_frame()).tdata) == data
    await env.wait_sr("MM2S", "IDLE")
    env.expect_status(a, 128)


@cocotb.test()
async def test_abort_and_soft_reset(dut):
    """RS=0 and CR.RESET mid-transfer drain cleanly; afterwards a new chain runs successfully."""
    env = await make_env(dut)
    env.sink.pause = True                                         # hold MM2S mid-packet
    descs, _ = env.mm2s_packet([2048, 2048])
    addrs = env.alloc_desc(2)
    env.write_chain(addrs, descs)
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    sdescs = env.s2mm_packet([4096])
    saddrs = env.alloc_desc(1)
    env.write_chain(saddrs, sdescs)
    await env.run_chain("S2MM", saddrs[0], saddrs[0])
    await env.source.send(AxiStreamFrame(stream_pattern(1, 1000)))   # no TLAST yet: S2MM busy
    await ClockCycles(dut.clk, 300)
    assert (await env.sr("MM2S"))["IDLE"] == 0
    # abort MM2S with RS=0, reset S2MM with CR.RESET
    await env.regs.write("MM2S", "CR", 0)
    await env.regs.write("S2MM", "CR", pack("CR", RESET=1))
    env.sink.pause = False
    await env.wait_sr("MM2S", "HALTED")
    await env.wait_sr("S2MM", "HALTED")
    while (await env.regs.read_fields("S2MM", "CR"))["RESET"]:
        pass
    await env.expect_quiet_after_halt()
    sr = await env.sr("MM2S")
    assert sr["ERR"] == 0, f"an abort is not an error: {sr}"
    await env.soft_reset("MM2S")
    env.flush_streams()
    await ClockCycles(dut.clk, 20)
    # new chains work
    descs, data = env.mm2s_packet([333])
    (a,) = env.alloc_desc(1)
    env.write_chain([a], descs)
    await env.run_chain("MM2S", a, a)
    assert bytes((await env.recv_frame()).tdata) == data
    sd = env.s2mm_packet([128])
    (b,) = env.alloc_desc(1)
    env.write_chain([b], sd)
    payload = stream_pattern(7, 128)
    await env.run_chain("S2MM", b, b)
    await env.source.send(AxiStreamFrame(payload))
    await env.wait_sr("S2MM", "IDLE")
    await env.wait_sr("MM2S", "IDLE")
    env.expect_status(a, 333)
    env.expect_status(b, 128, RXSOF=1, RXEOF=1)
    assert env.mem.read(sd[0].addr, 128) == payload


@cocotb.test()
async def test_interrupts(dut):
    """IOC coalescing by threshold, the idle-timeout (DLY) interrupt, ERR interrupt, W1C, enables."""
    env = await make_env(dut)
    irq = dut.irq_mm2s
    n = 5
    descs = []
    for _ in range(n):
        d, _ = env.mm2s_packet([32], ioc=True)
        descs += d
    addrs = env.alloc_desc(n)
    a, b = env.alloc_desc(2)      # linked now: the engine reads NEXT when it fetches a descriptor
    env.write_chain(addrs, descs, last_next=a)
    cr = {"IOC_IRQ_EN": 1, "DLY_IRQ_EN": 1, "ERR_IRQ_EN": 1, "IRQ_THRESHOLD": 3, "IRQ_DELAY": 1500}
    await env.run_chain("MM2S", addrs[0], addrs[-1], cr)
    for _ in range(n):
        await env.recv_frame()
    await env.wait_sr("MM2S", "IDLE")
    sr = await env.sr("MM2S")
    # 5 completions, threshold 3: one IOC interrupt and 2 counted, DLY not yet (1500 cycles)
    assert sr["IOC_IRQ"] == 1 and sr["IRQ_COUNT"] == 2 and sr["DLY_IRQ"] == 0, sr
    assert irq.value == 1
    await env.regs.write("MM2S", "SR", pack("SR", IOC_IRQ=1))
    sr = await env.sr("MM2S")
    assert sr["IOC_IRQ"] == 0 and irq.value == 0, sr
    sr = await env.wait_sr("MM2S", "DLY_IRQ", 1, timeout=2000)
    assert sr["IRQ_COUNT"] == 0 and irq.value == 1, sr
    await env.regs.write("MM2S", "SR", pack("SR", DLY_IRQ=1))
    assert irq.value == 0 and (await env.sr("MM2S"))["DLY_IRQ"] == 0
    # a pending bit with its enable off does not raise irq (the chain continues from the last tail)
    d, _ = env.mm2s_packet([32], ioc=True)
    d_err, _ = env.mm2s_packet([32])
    d_err[0].length = 0
    env.write_chain([a, b], [d[0], d_err[0]])
    await env.regs.write("MM2S", "CR", pack("CR", RS=1, IRQ_THRESHOLD=1))
    await env.write_tail("MM2S", a)
    await env.recv_frame()
    sr = await env.wait_sr("MM2S", "IOC_IRQ")
    assert irq.value == 0, "irq raised with IOC_IRQ_EN=0"
    # error interrupt
    await env.regs.write("MM2S", "CR", pack("CR", RS=1, ERR_IRQ_EN=1))
    await env.write_tail("MM2S", b)
    sr = await env.wait_sr("MM2S", "ERR_IRQ")
    assert sr["ERRCODE"] == ERR["ZERO_LEN"], sr
    assert irq.value == 1
    await env.regs.write("MM2S", "SR", pack("SR", ERR_IRQ=1))
    assert irq.value == 0


@cocotb.test()
async def test_counters(dut):
    """PERF_DESC / PERF_BEATS count what moved, PERF_BUSY and PERF_STALL are plausible, PERF_CTRL clears."""
    env = await make_env(dut)
    env.sink.set_pause_generator(env.pauses(0.5))
    lengths = [BYTES * 8, BYTES * 4 + 3, 5]
    descs = []
    for n in lengths:
        d, _ = env.mm2s_packet([n])
        descs += d
    addrs = env.alloc_desc(len(descs))
    env.write_chain(addrs, descs)
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    for _ in lengths:
        await env.recv_frame()
    await env.wait_sr("MM2S", "IDLE")
    beats = sum((d.addr + d.length - 1) // BYTES - d.addr // BYTES + 1 for d in descs)
    assert await env.regs.read("MM2S", "PERF_DESC") == len(descs)
    assert await env.regs.read("MM2S", "PERF_BEATS") == beats
    busy = await env.regs.read("MM2S", "PERF_BUSY")
    stall = await env.regs.read("MM2S", "PERF_STALL")
    assert beats <= busy < 5000, busy
    assert 0 < stall < busy, f"stall {stall} with a 50% paused sink"
    assert await env.regs.read("MM2S", "PERF_BUSY") == busy, "PERF_BUSY counts while idle"
    await env.regs.write("MM2S", "PERF_CTRL", 1)
    for name in ("PERF_BUSY", "PERF_BEATS", "PERF_STALL", "PERF_DESC"):
        assert await env.regs.read("MM2S", name) == 0, name
    assert await env.regs.read("S2MM", "PERF_DESC") == 0


@cocotb.test()
async def test_full_duplex_backpressure(dut):
    """Both channels at once, 4 KiB-page descriptors, random backpressure everywhere; exact bytes."""
    env = await make_env(dut)
    env.backpressure(0.25)
    page = 4096
    n_pages = 4
    descs, data = [], b""
    for _ in range(n_pages):
        d, payload = env.mm2s_packet([page])
        descs += d
        data += payload
    for i, d in enumerate(descs):
        d.sof, d.eof = i == 0, i == n_pages - 1
    if n_pages > SGL_MAX:
        raise AssertionError("test needs SGL_MAX >= 4")
    addrs = env.alloc_desc(n_pages)
    env.write_chain(addrs, descs)
    sd = env.s2mm_packet([page] * n_pages)
    saddrs = env.alloc_desc(n_pages)
    env.write_chain(saddrs, sd)
    payload = stream_pattern(env.seed + 9, page * n_pages)
    await env.run_chain("S2MM", saddrs[0], saddrs[-1])
    await env.source.send(AxiStreamFrame(payload))
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    f = await env.recv_frame(timeout=100000)
    assert bytes(f.tdata) == data
    await env.wait_sr("S2MM", "IDLE", timeout=100000)
    await env.wait_sr("MM2S", "IDLE", timeout=100000)
    assert b"".join(env.mem.read(d.addr, page) for d in sd) == payload
    env.check_guards()


async def _tail_write_and_first_beat(dut, tail_addr: int) -> tuple[float, float]:
    """Times of the s_axil AW handshake to tail_addr and of the next m_axis beat (a per-cycle watcher
    for this one measurement)."""
    edge = RisingEdge(dut.clk)
    tail_ns = None
    while True:
        await edge
        if tail_ns is None:
            if dut.s_axil_awvalid.value == 1 and dut.s_axil_awready.value == 1 and \
                    int(dut.s_axil_awaddr.value) == tail_addr:
                tail_ns = SgdmaEnv.now_ns()
        elif dut.m_axis_tvalid.value == 1 and dut.m_axis_tready.value == 1:
            return tail_ns, SgdmaEnv.now_ns()


@cocotb.test()
async def test_streaming_efficiency_and_latency(dut):
    """No backpressure: first data AR soon after the tail write; 4 KiB descriptors stream without gaps."""
    env = await make_env(dut)
    env.sink.set_pause_generator(iter(lambda: False, True))
    d, _ = env.mm2s_packet([BYTES * 4])
    (a,) = env.alloc_desc(1)
    env.write_chain([a], d)
    await env.regs.write64("MM2S", "CURDESC", a)
    await env.regs.write("MM2S", "CR", pack("CR", RS=1))
    await env.regs.write("MM2S", "TAILDESC_HI", 0)
    tail_lo = reg_addr("MM2S", "TAILDESC_LO")
    since = env.now_ns()
    watch = cocotb.start_soon(_tail_write_and_first_beat(dut, tail_lo))
    await env.regs.write("MM2S", "TAILDESC_LO", a)
    await env.recv_frame()
    tail_ns, beat_ns = await watch
    ars = env.bursts("AR", since)
    desc_ar = int(next(b for b in ars if b.id == ID_MM2S).time_ns - tail_ns) // env.PERIOD_NS
    data_ar = int(next(b for b in ars if b.id == ID_DATA).time_ns - tail_ns) // env.PERIOD_NS
    first_beat = int(beat_ns - tail_ns) // env.PERIOD_NS
    dut._log.info("after the TAILDESC_LO write: descriptor AR +%d, data AR +%d, first stream beat +%d cycles "
                  "(AxiRam model latency included)", desc_ar, data_ar, first_beat)
    assert desc_ar <= 2, f"descriptor AR {desc_ar} cycles after the tail write"
    assert data_ar <= 16, f"first data AR {data_ar} cycles after the tail write"
    await env.wait_sr("MM2S", "IDLE")
    await env.stop("MM2S")

    # streaming: 8 pages in 2 packets of 4 (SGL_MAX >= 4), count R data beats vs cycles
    descs = []
    for _ in range(8):
        dd, _ = env.mm2s_packet([4096])
        descs += dd
    for i, dd in enumerate(descs):
        dd.sof, dd.eof = i % 4 == 0, i % 4 == 3
    addrs = env.alloc_desc(8)
    env.write_chain(addrs, descs)
    await env.regs.write("MM2S", "PERF_CTRL", 1)
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    await env.recv_frame(timeout=50000)
    await env.recv_frame(timeout=50000)
    await env.wait_sr("MM2S", "IDLE")
    beats = await env.regs.read("MM2S", "PERF_BEATS")
    busy = await env.regs.read("MM2S", "PERF_BUSY")
    dut._log.info("MM2S streaming: %d beats in %d busy cycles (%.1f%%)", beats, busy, 100.0 * beats / busy)
    assert beats == 8 * 4096 // BYTES


async def _must_fail(check, what: str) -> None:
    """Negative control: `check` (a callable or coroutine function) must raise AssertionError."""
    try:
        result = check()
        if hasattr(result, "__await__"):
            await result
    except AssertionError:
        return
    raise AssertionError(f"negative control: the {what} check did not fire")


@cocotb.test()
async def test_negative_controls(dut):
    """Each checker of this file fires on a planted fault: guards, bus-access monitor, STATUS check,
    quiet-after-halt, write-back after an error B, stream data comparison, fault map."""
    env = await make_env(dut)
    watch = write_back_watch(env)
    descs, data = env.mm2s_packet([100])
    a, b = env.alloc_desc(2)
    env.write_chain([a], descs, last_next=b)
    since = env.now_ns()
    await env.run_chain("MM2S", a, a)
    frame = await env.recv_frame()
    await env.wait_sr("MM2S", "IDLE")
    # the positive checks hold ...
    assert bytes(frame.tdata) == data
    env.expect_status(a, 100)
    env.check_guards()
    # ... and each one fires on a planted fault
    await _must_fail(lambda: env.expect_status(a, 99), "STATUS")
    await _must_fail(lambda: env.expect_untouched(a), "descriptor-untouched")
    buf = descs[0].addr
    await _must_fail(lambda: env.check_no_access(buf + 99, 1, "control", since), "no-access (last byte)")
    await _must_fail(lambda: env.check_no_access(a, DESC_BYTES, "control", since), "no-access (desc)")
    env.check_no_access(buf + 100 + GUARD // 2, 8, "guard region")   # reads stay in the buffer's beats
    guard_at = descs[0].addr + 100
    guard_byte = env.mem.read(guard_at, 1)
    env.mem.write(guard_at, bytes([guard_byte[0] ^ 1]))
    await _must_fail(env.check_guards, "overrun guard")
    env.mem.write(guard_at, guard_byte)
    env.check_guards()
    # quiet-after-halt fires when traffic continues
    big, _ = env.mm2s_packet([4096])
    env.write_chain([b], big, last_next=a)
    await env.write_tail("MM2S", b)
    await _must_fail(lambda: env.expect_quiet_after_halt(100), "quiet-after-halt")
    await env.recv_frame()
    await env.wait_sr("MM2S", "IDLE")
    # the write-back check of the fault cases fires on b's write-back, started after a's had
    watch.stop()
    desc_of = {a + STATUS_OFFSET: 0, b + STATUS_OFFSET: 1}
    first = next(c for c, addr in watch.offers if addr == a + STATUS_OFFSET)
    check_no_write_back_after(watch, desc_of, max(c for c, _ in watch.offers), "the last write-back")
    await _must_fail(lambda: check_no_write_back_after(watch, desc_of, first, "a's write-back"),
                     "write-back after an error B")
    # the fault map really answers errors: a read of a faulted descriptor completes with DESC_DECERR
    await env.stop("MM2S")
    env.mem.errors.add(a, DESC_BYTES, "DECERR", on="read")
    await env.run_chain("MM2S", a, a)
    await _must_fail(lambda: env.expect_halt_error("MM2S", ERR["DESC_SLVERR"], a), "error code")
    await env.expect_halt_error("MM2S", ERR["DESC_DECERR"], a)


@cocotb.test()
async def test_full_duplex_rate(dut):
    """Both channels at once without backpressure, 4 KiB-page descriptors: each moves >= 95% of a beat
    per busy cycle (PERF_BEATS / PERF_BUSY; busy includes the first fetch and the last write-back)."""
    env = await make_env(dut)
    pages = 8
    descs, data = [], b""
    for _ in range(pages):
        d, payload = env.mm2s_packet([4096])
        descs += d
        data += payload
    sd = env.s2mm_packet([4096] * SGL_MAX) + env.s2mm_packet([4096] * (pages - SGL_MAX))
    for i, d in enumerate(descs):
        d.sof, d.eof = i % SGL_MAX == 0, i % SGL_MAX == SGL_MAX - 1 or i == pages - 1
    addrs, saddrs = env.alloc_desc(pages), env.alloc_desc(pages)
    env.write_chain(addrs, descs)
    env.write_chain(saddrs, sd)
    p1 = stream_pattern(env.seed + 3, 4096 * SGL_MAX)
    p2 = stream_pattern(env.seed + 4, 4096 * (pages - SGL_MAX))
    await env.source.send(AxiStreamFrame(p1))
    await env.source.send(AxiStreamFrame(p2))
    await env.run_chain("S2MM", saddrs[0], saddrs[-1])
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    got = b""
    while len(got) < len(data):
        got += bytes((await env.recv_frame(timeout=100000)).tdata)
    await env.wait_sr("S2MM", "IDLE", timeout=100000)
    await env.wait_sr("MM2S", "IDLE", timeout=100000)
    assert got == data
    assert b"".join(env.mem.read(d.addr, 4096) for d in sd) == p1 + p2
    for ch in ("MM2S", "S2MM"):
        beats = await env.regs.read(ch, "PERF_BEATS")
        busy = await env.regs.read(ch, "PERF_BUSY")
        dut._log.info("%s full duplex: %d beats in %d busy cycles (%.2f%%)", ch, beats, busy,
                      100.0 * beats / busy)
        assert beats == pages * 4096 // BYTES, f"{ch}: {beats} beats"
        assert beats >= 0.95 * busy, f"{ch}: {beats} beats in {busy} busy cycles"


@cocotb.test()
async def test_s2mm_overflow(dut):
    """A stream packet longer than its buffers: the EOF buffer completes with OVERFLOW, the channel halts,
    nothing is written past the buffers."""
    env = await make_env(dut)
    sd = env.s2mm_packet([64, 40])
    addrs = env.alloc_desc(2)
    env.write_chain(addrs, sd)
    payload = stream_pattern(env.seed + 5, 150)
    await env.run_chain("S2MM", addrs[0], addrs[-1])
    await env.source.send(AxiStreamFrame(payload))
    await env.expect_halt_error("S2MM", ERR["OVERFLOW"], addrs[1])
    env.expect_status(addrs[0], 64, RXSOF=1, RXEOF=0)
    st = env.status(addrs[1])
    assert (st["CMPLT"], st["ERR"], st["ERRCODE"], st["XFERRED"]) == (1, 1, ERR["OVERFLOW"], 40), st
    assert env.mem.read(sd[0].addr, 64) + env.mem.read(sd[1].addr, 40) == payload[:104]
    env.check_guards()
    await env.expect_quiet_after_halt()


@cocotb.test()
async def test_sg_port(dut):
    """SG_PORT: with 1, descriptor fetches and STATUS write-backs go to m_axi_sg (IDs 1/2, exactly the
    descriptors' addresses) and m_axi carries data only (ID 0, no descriptor address); with 0, m_axi_sg
    stays inactive. A chain each way at once; data, STATUS and guards checked."""
    env = await make_env(dut)
    sg_out = ("m_axi_sg_arvalid", "m_axi_sg_awvalid", "m_axi_sg_wvalid", "m_axi_sg_bready", "m_axi_sg_rready")
    sg_active: list[tuple[int, str]] = []

    async def watch_sg_inactive():
        edge = RisingEdge(dut.clk)
        while True:
            await edge
            sg_active.extend((env.cycle, n) for n in sg_out if getattr(dut, n).value != 0)

    watcher = None if SG_PORT else cocotb.start_soon(watch_sg_inactive())
    n = min(3, SGL_MAX)
    descs, data = env.mm2s_packet([700, 64, 1500][:n], user=0x5A)
    addrs = env.alloc_desc(n)
    env.write_chain(addrs, descs)
    sd = env.s2mm_packet([512, 300, 1000][:n])
    saddrs = env.alloc_desc(n)
    env.write_chain(saddrs, sd)
    payload = stream_pattern(env.seed + 11, sum(d.length for d in sd))
    since = env.now_ns()
    await env.run_chain("S2MM", saddrs[0], saddrs[-1])
    await env.source.send(AxiStreamFrame(payload))
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    f = await env.recv_frame()
    assert bytes(f.tdata) == data, "MM2S data mismatch"
    await env.wait_sr("S2MM", "IDLE")
    await env.wait_sr("MM2S", "IDLE")
    assert b"".join(env.mem.read(d.addr, d.length) for d in sd) == payload, "S2MM data mismatch"
    for a, d in zip(addrs, descs, strict=True):
        env.expect_status(a, d.length)
    for i, (a, d) in enumerate(zip(saddrs, sd, strict=True)):
        env.expect_status(a, d.length, RXSOF=int(i == 0), RXEOF=int(i == n - 1))
    env.check_guards()
    desc_set = {(ID_MM2S, a) for a in addrs} | {(ID_S2MM, a) for a in saddrs}
    main_ars = [b for b in env.mem.bursts if b.time_ns > since and b.channel == "AR"]
    main_aws = [b for b in env.mem.bursts if b.time_ns > since and b.channel == "AW"]

    def descriptor_hits(records):
        return [b for b in records for _, a in desc_set if b.touches(a, DESC_BYTES)]

    if SG_PORT:
        sg_ars = [b for b in env.sg_mem.bursts if b.time_ns > since and b.channel == "AR"]
        sg_aws = [b for b in env.sg_mem.bursts if b.time_ns > since and b.channel == "AW"]
        assert {(b.id, b.addr) for b in sg_ars} == desc_set, sg_ars
        assert {(b.id, b.addr - STATUS_OFFSET) for b in sg_aws} == desc_set, sg_aws
        assert {b.id for b in main_ars + main_aws} == {ID_DATA}, "m_axi carried a non-data ID"
        assert not descriptor_hits(main_ars + main_aws), "descriptor accessed on m_axi"
        # negative control: the descriptor-address check fires on the records of m_axi_sg
        assert descriptor_hits(sg_ars + sg_aws), "negative control: descriptor_hits found nothing"
    else:
        watcher.cancel()
        assert not sg_active, f"m_axi_sg active with SG_PORT=0: {sg_active[:4]}"
        assert {(b.id, b.addr) for b in main_ars if b.id != ID_DATA} == desc_set


@cocotb.test()
async def test_watchdog_names_the_hang(dut):
    """Negative control of the watchdog: the MM2S stream peer never takes a beat, so no frame arrives;
    the wait fails within its budget naming what it awaited and the channel's registers."""
    env = await make_env(dut)
    env.sink.pause = True
    descs, _ = env.mm2s_packet([4 * BYTES * 64])
    addrs = env.alloc_desc(len(descs))
    env.write_chain(addrs, descs)
    await env.run_chain("MM2S", addrs[0], addrs[-1])
    start = env.cycle
    try:
        await env.recv_frame(timeout=5000)
    except WatchdogError as exc:
        msg = str(exc)
    else:
        raise AssertionError("a frame arrived through a stream peer that takes no beat")
    env.log.info("watchdog after %d cycles: %s", env.cycle - start, msg)
    assert "an MM2S frame" in msg and "SR" in msg and "CURDESC" in msg, msg
    assert env.cycle - start <= 5000 + 2500, f"the watchdog took {env.cycle - start} cycles for 5000"

"""Top-level sgdma tests that reach what the quick suite's address map and lengths never did (issue 12,
docs/coverage.md, Analysis): run at 32, 64 and 128 data bits and at 40- and 64-bit addresses
(tests/hw/test_reach_closure.py picks the builds). Each checks data, TUSER and STATUS against what
docs/sgdma.md specifies for the descriptors the test wrote, never against the DUT's own output:
  - test_align_length_cross: one descriptor per start lane (aligned, mid, last lane) x length class
    (1 byte, under a beat, one beat, a few beats, long, 4 KiB, over 4 KiB) at this build's width, as
    MM2S packets (stream bytes and TUSER) and as S2MM buffers (memory bytes, XFERRED, RXSOF/RXEOF);
    closes the width's column of coverpoint desc.align_x_length_x_width (asserted from the database);
  - test_queue_slots_high_and_low: laps of QUEUE_DEPTH descriptors on each channel, alternating a ring
    just below 2**ADDR_WIDTH with one near address 0, buffers at the top and the bottom of the address
    space, LENGTH all ones then small (S2MM: short packets into buffers of 2**LEN_WIDTH-1 bytes), USER
    words drawn at random then complemented, SOF/EOF/IOC/cache attributes varied by lap; the stream end
    is held until every descriptor of the lap has been fetched (the prefetch queue is full), then
    released. Then a buffer ending past 2**ADDR_WIDTH described in the top ring: ADDR_RANGE with ERRDESC
    read back whole (at ADDR_WIDTH 64 the full-width end check of hdl/sgdma_sg.v); then ZERO_LEN on a
    descriptor at the complement of that address;
  - test_axil_byte_lanes_and_unmapped: byte-lane register writes and reads at unaligned addresses with
    AxPROT set, and accesses at register offsets above 0xFF (SLVERR).
Every address bit of the descriptor queue, the tail, current and error pointers and the AXI address
ports goes to one and back (toggle coverage of hdl/). A 64-bit address space is folded onto the sparse
2**48-byte memory model (FoldedMemory): the top and bottom regions used here do not alias.
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles
from cocotbext.axi import AxiBus, AxiStreamFrame
from cocotbext.axi.constants import AxiProt, AxiResp
from cocotbext.axi.memory import Memory

from tb import coverage as fcov
from tb.axi_memory import AxiMemory
from tb.env.sgdma import DST_FILL, SgdmaEnv, frame_tuser, params_from_environment, stream_pattern
from tb.sgdma_desc import CACHE, ERR, Descriptor
from tb.sgdma_regs import reg_addr

PARAMS = params_from_environment()
BYTES = PARAMS.get("DATA_WIDTH", 64) // 8
ADDR_WIDTH = PARAMS.get("ADDR_WIDTH", 64)
LEN_WIDTH = PARAMS.get("LEN_WIDTH", 24)
ALIGN = 1 << PARAMS.get("ALIGN_LOG2", 0)
SGL_MAX = PARAMS.get("SGL_MAX", 16)
QUEUE_DEPTH = 1 << (max(4, 2 * SGL_MAX) - 1).bit_length()     # hdl/sgdma.v QUEUE_MIN, TAG_WIDTH
TOP = 1 << ADDR_WIDTH
USER_MASK = (1 << 32) - 1
MODEL_BITS = 48                                                 # tb/env/base.py: sparse RAM size limit


class FoldedMemory:
    """The byte store of a 2**ADDR_WIDTH space on a 2**48-byte sparse Memory: address modulo 2**48."""

    def __init__(self):
        self.mem = Memory(1 << MODEL_BITS)
        self.mask = (1 << MODEL_BITS) - 1

    def read(self, addr: int, length: int) -> bytes:
        return self.mem.read(addr & self.mask, length)

    def write(self, addr: int, data) -> None:
        self.mem.write(addr & self.mask, bytes(data))


class ReachEnv(SgdmaEnv):
    """SgdmaEnv whose memory covers the whole address space (folded above 2**48)."""

    def make_memory(self, prefix, seed, share):
        if share is not None or self.addr_width <= MODEL_BITS:
            return super().make_memory(prefix, seed, share)
        return AxiMemory(AxiBus.from_prefix(self.dut, prefix), self.dut.clk, self.dut.rst, seed=seed,
                         max_latency=self.latency, guard=64, backing=FoldedMemory())


async def make_env(dut) -> ReachEnv:
    env = ReachEnv(dut, PARAMS)
    await env.start()
    return env


async def expect_mm2s(env: ReachEnv, expect: list[tuple[bytes, int]], addrs: list[int], descs: list,
                      what: str) -> None:
    """The packets on m_axis in order (bytes, TUSER = the SOF descriptor's USER), then every STATUS."""
    for i, (data, user) in enumerate(expect):
        f = await env.recv_frame()
        assert bytes(f.tdata) == data, f"{what}: packet {i} data differs"
        assert frame_tuser(f) == {user}, f"{what}: packet {i} TUSER {f.tuser}, expected {user:#x}"
    await env.wait_cmplt(addrs)
    for a, d in zip(addrs, descs, strict=True):
        env.expect_status(a, d.length)


# ---- test_align_length_cross -----------------------------------------------------------------
def start_lanes() -> dict[str, int | None]:
    """A start lane for each alignment class that this build's ALIGN_LOG2 accepts (None: refused)."""
    mid = next((lane for lane in range(1, BYTES - 1) if lane % ALIGN == 0), None)
    last = BYTES - 1 if (BYTES - 1) % ALIGN == 0 else None
    return {"aligned": 0, "mid": mid, "last_lane": last}


def lengths(rng) -> dict[str, int]:
    """A length in each length class of tb/coverage.py at this width."""
    return {"1": 1, "sub_beat": rng.randrange(2, BYTES), "one_beat": BYTES,
            "few_beats": rng.randrange(BYTES + 1, 16 * BYTES + 1),
            "long": rng.randrange(16 * BYTES + 1, 4096),
            "4KiB": 4096, "over_4KiB": rng.randrange(4097, 6001)}


@cocotb.test()
async def test_align_length_cross(dut):
    """Every start lane x length class at this width, both channels (module docstring)."""
    env = await make_env(dut)
    rng = env.rng
    combos = []
    for align, lane in start_lanes().items():
        if lane is None:
            env.log.info("start class %s: no lane is a multiple of 2**ALIGN_LOG2 at %d bytes", align, BYTES)
            continue
        for lbin, n in lengths(rng).items():
            assert (fcov._align_bin(lane, BYTES), fcov._length_bin(n, BYTES)) == (align, lbin), (lane, n)
            combos.append((align, lbin, lane, n))
    # MM2S: one packet per combination, USER drawn at random
    descs, expect = [], []
    for _, _, lane, n in combos:
        user = rng.getrandbits(32)
        d, data = env.mm2s_packet([n], user=user, offset=lane)
        descs += d
        expect.append((data, user))
    ma = env.alloc_desc(len(descs))
    env.write_chain(ma, descs)
    await env.run_chain("MM2S", ma[0], ma[-1])
    await expect_mm2s(env, expect, ma, descs, "MM2S cross")
    # S2MM: one buffer per combination, a packet of exactly its length
    sd, payloads = [], []
    for i, (_, _, lane, n) in enumerate(combos):
        sd += env.s2mm_packet([n], offset=lane)
        payloads.append(stream_pattern(env.seed + i, n))
    sa = env.alloc_desc(len(sd))
    env.write_chain(sa, sd)
    for p in payloads:
        await env.source.send(AxiStreamFrame(p))
    await env.run_chain("S2MM", sa[0], sa[-1])
    await env.wait_cmplt(sa)
    for i, (a, d, p) in enumerate(zip(sa, sd, payloads, strict=True)):
        env.expect_status(a, len(p), RXSOF=1, RXEOF=1)
        assert env.mem.read(d.addr, len(p)) == p, f"S2MM buffer {i} {combos[i]}: data differs"
    env.check_guards()
    # the coverage model saw this width's column (a broken sampling hook or width would show here)
    cross = fcov.snapshot()[f"{fcov.PREFIX}.desc.align_x_length_x_width"]
    width = PARAMS.get("DATA_WIDTH", 64)
    missing = [f"{a} x {n}" for a, n, _, _ in combos if not cross.get(f"{a} x {n} x {width}")]
    assert not missing, f"desc.align_x_length_x_width at {width} bits not sampled: {missing}"


# ---- test_queue_slots_high_and_low -----------------------------------------------------------
def ring_addr(ch_index: int, high: bool, i: int) -> int:
    """Descriptor i of a lap: in the top ring (bits 17 and up all ones, slot index in bits 6-8) or in
    the bottom ring (bits 17 and up zero, bits 5-15 the complement of the top ring's)."""
    if high:
        return TOP - (1 << 17) + (ch_index << 16) + (i << 6)
    return ((ch_index ^ 1) << 16) + (~(i << 6) & 0xFFE0)


async def wait_fetched(env: ReachEnv, addrs: list[int], since: float, what: str) -> None:
    """Every descriptor of the lap read while its data is held: the prefetch queue holds them all."""
    def fetched(a):
        return any(b.addr <= a < b.addr + b.nbytes for b in env.bursts("AR", since))

    await env.wait_until(lambda: all(fetched(a) for a in addrs), 2000,
                         f"{what}: all {len(addrs)} descriptors fetched while the data is held", None)


@cocotb.test()
async def test_queue_slots_high_and_low(dut):
    """Descriptor queue slots, pointers and address ports driven to ones and back (module docstring)."""
    env = await make_env(dut)
    rng = env.rng
    users = [rng.getrandbits(32) for _ in range(QUEUE_DEPTH)]
    len_mask = (1 << LEN_WIDTH) - 1

    # S2MM, three laps: top ring + buffers of 2**LEN_WIDTH-1 bytes high up; bottom ring + 2-byte
    # buffers ending near 2**ADDR_WIDTH; top ring + 1-byte buffers near address 0
    laps = []
    for lap in range(3):
        high = lap != 1
        descs = []
        for i in range(QUEUE_DEPTH):
            if lap == 0:
                addr, n = TOP - ((i + 10) << LEN_WIDTH), len_mask
            elif lap == 1:
                addr, n = TOP - 4 - 64 * i, 2
            else:
                addr, n = 0x1000 + 64 * i, 1
            user = users[i] if lap != 1 else ~users[i] & USER_MASK
            descs.append(Descriptor(addr=addr, length=n, sof=True, eof=True, ioc=lap != 1,
                                    cache=CACHE["UNCACHED"] if high else CACHE["WRCOMB"], user=user))
        laps.append(([ring_addr(1, high, i) for i in range(QUEUE_DEPTH)], descs))
    await run_laps(env, "S2MM", laps, rng)

    # MM2S, four laps alternating top and bottom rings and buffers; packets of one and two descriptors
    # so that every slot sees SOF and EOF set and clear; TUSER = USER of the packet's SOF descriptor
    shapes = [[1] * QUEUE_DEPTH, [2] * (QUEUE_DEPTH // 2), [1] * QUEUE_DEPTH,
              [1] + [2] * (QUEUE_DEPTH // 2 - 1) + [1]]
    cache = [CACHE["UNCACHED"], CACHE["WRCOMB"], CACHE["UNCACHED"], CACHE["CACHED"]]
    laps = []
    for lap, shape in enumerate(shapes):
        high = lap % 2 == 0
        # bits 16 and 17 set in the top region, clear in the bottom one (data reads)
        base = TOP - (1 << 19) + 0x3_0000 + lap * 0x1000 if high else 0x4_0000 + lap * 0x1000
        descs, i = [], 0
        for size in shape:
            for k in range(size):
                n = rng.randrange(1, 4 * BYTES)
                addr = base + 0x100 * i + rng.randrange(0, BYTES, ALIGN)
                env.mem.write(addr, rng.randbytes(n))
                user = users[i] if high else ~users[i] & USER_MASK
                descs.append(Descriptor(addr=addr, length=n, sof=k == 0, eof=k == size - 1, ioc=high,
                                        cache=cache[lap], user=user))
                i += 1
        laps.append(([ring_addr(0, high, j) for j in range(QUEUE_DEPTH)], descs))
    await run_laps(env, "MM2S", laps, rng)

    # a buffer whose end is past 2**ADDR_WIDTH, described in the top ring: ADDR_RANGE, ERRDESC whole
    await env.stop("MM2S")
    bad_at = ring_addr(0, True, QUEUE_DEPTH) + 0x400
    env.write_chain([bad_at], [Descriptor(addr=TOP - ALIGN * 2, length=8 + 2 * ALIGN, sof=True, eof=True,
                                          user=rng.getrandbits(32))])
    await env.run_chain("MM2S", bad_at, bad_at)
    await env.expect_halt_error("MM2S", ERR["ADDR_RANGE"], bad_at)
    env.expect_status(bad_at, 0, ERR["ADDR_RANGE"])
    await env.soft_reset("MM2S")
    # then a ZERO_LEN descriptor at the complement of that address (ERRDESC bits back to ones and zeros)
    low_at = ~bad_at & (TOP - 1) & ~0x1F
    env.write_chain([low_at], [Descriptor(addr=0x4_8000, length=0, sof=True, eof=True)])
    await env.run_chain("MM2S", low_at, low_at)
    await env.expect_halt_error("MM2S", ERR["ZERO_LEN"], low_at)
    env.expect_status(low_at, 0, ERR["ZERO_LEN"])
    await env.soft_reset("MM2S")
    await env.stop("S2MM")
    await env.soft_reset("S2MM")


async def run_laps(env: ReachEnv, ch: str, laps: list, rng) -> None:
    """Hand the chain over one lap at a time (TAILDESC = the lap's last descriptor), the data held until
    the lap is fetched; check data, TUSER, STATUS, CURDESC and TAILDESC."""
    for n, (lap_addrs, lap_descs) in enumerate(laps):
        # written when handed over (laps reuse the rings), the last one linked to the next lap's first
        env.write_chain(lap_addrs, lap_descs, laps[n + 1][0][0] if n + 1 < len(laps) else None)
        since = env.now_ns()
        if ch == "MM2S":
            env.sink.pause = True
            expect = []
            for d in lap_descs:
                if d.sof:
                    expect.append((b"", d.user))
                expect[-1] = (expect[-1][0] + env.mem.read(d.addr, d.length), expect[-1][1])
        else:
            for d in lap_descs:       # the bytes up to the end of each buffer's packet start at DST_FILL
                env.mem.write(d.addr, bytes([DST_FILL]) * min(d.length, 4 * BYTES))
        if n == 0:
            await env.run_chain(ch, lap_addrs[0], lap_addrs[-1])
        else:
            await env.write_tail(ch, lap_addrs[-1])
        await wait_fetched(env, lap_addrs, since, f"{ch} lap {n}")
        if ch == "MM2S":
            env.sink.pause = False
            await expect_mm2s(env, expect, lap_addrs, lap_descs, f"MM2S lap {n}")
        else:
            payloads = [stream_pattern(env.seed + 7 * n + i, rng.randrange(1, min(d.length, 3 * BYTES) + 1))
                        for i, d in enumerate(lap_descs)]
            await ClockCycles(env.dut.clk, 20)
            for p in payloads:
                await env.source.send(AxiStreamFrame(p))
            await env.wait_cmplt(lap_addrs)
            for a, d, p in zip(lap_addrs, lap_descs, payloads, strict=True):
                env.expect_status(a, len(p), RXSOF=1, RXEOF=1)
                assert env.mem.read(d.addr, len(p)) == p, f"S2MM lap {n}: buffer {d.addr:#x} differs"
                if len(p) < d.length:
                    assert env.mem.read(d.addr + len(p), 1) == bytes([DST_FILL]), \
                        f"S2MM lap {n}: written past the packet in {d.addr:#x}"
        assert await env.regs.read64(ch, "CURDESC") == lap_addrs[-1]
        assert await env.regs.read64(ch, "TAILDESC") == lap_addrs[-1]



@cocotb.test()
async def test_axil_byte_lanes_and_unmapped(dut):
    """AXI4-Lite accesses the register-level tests never make (the AXI4-Lite master of cocotbext-axi
    puts an unaligned start address on AxADDR): single-byte writes and reads at byte offsets 1..3
    with AxPROT all ones, which write only their WSTRB lane (the AXI write-strobe rule; CURDESC_HI read
    back whole) and read that lane; accesses at offsets with
    address bits 8..11 set answer SLVERR with data 0 and change nothing (hdl/sgdma_regs.v header)."""
    env = await make_env(dut)
    prot = AxiProt.PRIVILEGED | AxiProt.NONSECURE | AxiProt.INSTRUCTION
    rng = env.rng
    for ch in ("MM2S", "S2MM"):
        addr = reg_addr(ch, "CURDESC_HI")
        word = bytearray(4)
        for lane in (1, 2, 3, 0):
            word[lane] = rng.randrange(1, 256) | (0x20 if lane == 2 else 0)
            resp = await env.axil.write(addr + lane, bytes([word[lane]]), prot=prot)
            assert resp.resp == AxiResp.OKAY, f"{ch} CURDESC_HI byte {lane} write: {resp}"
            got = await env.regs.read(ch, "CURDESC_HI")
            assert got == int.from_bytes(word, "little"), \
                f"{ch} CURDESC_HI {got:#010x} after byte {lane}, expected {bytes(word).hex()} (little endian)"
        for lane in (3, 2, 1):
            resp = await env.axil.read(addr + lane, 1, prot=prot)
            assert resp.resp == AxiResp.OKAY and resp.data == bytes([word[lane]]), \
                f"{ch} CURDESC_HI byte {lane} read {resp}, expected {word[lane]:#04x}"
    before = {ch: await env.regs.read(ch, "CURDESC_HI") for ch in ("MM2S", "S2MM")}
    for off in (0x100, 0x200, 0x400, 0x800, 0xF00 + 0xC3, 0xA5D):
        resp = await env.axil.read(off, 1, prot=prot)
        assert resp.resp == AxiResp.SLVERR and resp.data == bytes(1), f"read at unmapped {off:#x}: {resp}"
        resp = await env.axil.write(off, bytes([0xFF]), prot=prot)
        assert resp.resp == AxiResp.SLVERR, f"write at unmapped {off:#x}: {resp}"
    after = {ch: await env.regs.read(ch, "CURDESC_HI") for ch in ("MM2S", "S2MM")}
    assert after == before, f"writes to unmapped offsets changed CURDESC_HI: {before} -> {after}"

"""Top-level sgdma tests written to kill mutants the other suites let through (docs/mutation.md).

Each test checks a rule of the specification that no other test pinned down:
  - test_axi_attributes: every AR and AW of the DMA masters (data, descriptor fetch) is INCR, full bus
    width (AxSIZE = log2 of DATA_WIDTH/8) and AxCACHE 0011 (docs/sgdma_mm2s.md), a status write-back
    one 4-byte beat (docs/sgdma.md), at every data width the launcher builds;
  - test_ioc_counts_ioc_descriptors: the completion interrupt counts IOC descriptors, not packets
    (EOF) nor descriptors (docs/sgdma_map.md, CR.IRQ_THRESHOLD);
  - test_hard_reset_during_soft_reset: a hard reset while CR.RESET is still draining leaves the channel
    halted, error free, with CR at its reset value, and the next chain runs;
  - test_axil_write_channels_apart: register writes whose AW and W handshakes come in different
    cycles (either first) land whole in their register (the register file's held-AW/held-W paths,
    which cocotbext-axi's AxiLiteMaster, sending both together, never exercised);
  - test_no_hide_unit_ports_inactive: without a hide unit every hide-side output stays 0 and every
    hide register reads 0.
The environment is tb/env/sgdma.SgdmaEnv on tb/hdl/harness/sgdma_tb.v (protocol checkers on every port).
"""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge

from tb.env.sgdma import ID_MM2S, ID_S2MM, SgdmaEnv, params_from_environment
from tb.sgdma_regs import pack
from tb.sim_runner import sgdma_defaults

PARAMS = params_from_environment()
DW = PARAMS.get("DATA_WIDTH", 64)
BYTES = DW // 8
AXSIZE = BYTES.bit_length() - 1
AXCACHE = 0b0011          # normal non-cacheable bufferable (docs/sgdma_mm2s.md)
INCR = 1


async def make_env(dut) -> SgdmaEnv:
    env = SgdmaEnv(dut, PARAMS)
    await env.start()
    return env


async def one_mm2s_descriptor(env: SgdmaEnv, length: int) -> None:
    """One MM2S descriptor from a halted channel: its bytes on the stream and its STATUS word."""
    d, data = env.mm2s_packet([length])
    a = env.alloc_desc(1)
    env.write_chain(a, d)
    await env.run_chain("MM2S", a[0], a[0])
    frame = await env.recv_frame()
    assert bytes(frame.tdata) == data
    await env.wait_cmplt(a)
    env.expect_status(a[0], len(data))


class AddressChannelLog:
    """Every AR and AW handshake on one AXI master: (channel, id, addr, len, size, burst, cache)."""

    def __init__(self, dut, prefix: str):
        self.dut, self.prefix = dut, prefix
        self.seen: list[tuple] = []
        cocotb.start_soon(self._run())

    def _sig(self, name):
        return getattr(self.dut, f"{self.prefix}_{name}")

    async def _run(self):
        fields = ("valid", "ready", "id", "addr", "len", "size", "burst", "cache")
        sig = {ch: {f: self._sig(f"{ch}{f}") for f in fields} for ch in ("ar", "aw")}
        while True:
            await RisingEdge(self.dut.clk)
            for ch, s in sig.items():
                if s["valid"].value == 1 and s["ready"].value == 1:
                    self.seen.append((ch.upper(), *(int(s[f].value) for f in fields[2:])))


@cocotb.test()
async def test_axi_attributes(dut):
    """Descriptor fetches, data reads and data writes: INCR, AxSIZE of the full bus, AxCACHE 0011; status
    write-backs: one beat of 4 bytes, INCR, AxCACHE 0011; on m_axi (and m_axi_sg with SG_PORT=1)."""
    env = await make_env(dut)
    logs = [AddressChannelLog(dut, "m_axi")]
    if PARAMS.get("SG_PORT", sgdma_defaults()["SG_PORT"]):
        logs.append(AddressChannelLog(dut, "m_axi_sg"))
    mm2s, data = env.mm2s_packet([BYTES * 20 + 3, 5])
    s2mm = env.s2mm_packet([BYTES * 6, BYTES * 6])
    ma, sa = env.alloc_desc(len(mm2s)), env.alloc_desc(len(s2mm))
    env.write_chain(ma, mm2s)
    env.write_chain(sa, s2mm)
    payload = bytes((7 * i + 1) & 0xFF for i in range(BYTES * 9))
    await env.source.send(payload)
    await env.run_chain("MM2S", ma[0], ma[-1])
    await env.run_chain("S2MM", sa[0], sa[-1])
    frame = await env.recv_frame()
    assert bytes(frame.tdata) == data
    await env.wait_cmplt(ma + sa)
    seen = [r for log in logs for r in log.seen]
    assert {r[0] for r in seen} == {"AR", "AW"}, seen
    # descriptor fetches (4) + data reads, data writes + status write-backs (4): all were logged
    assert sum(r[0] == "AR" for r in seen) > len(ma) + len(sa) and sum(r[0] == "AW" for r in seen) > len(ma)
    # the STATUS write-back is "one single-beat 4-byte write" (docs/sgdma.md); every other burst is full width
    for ch, axi_id, addr, length, size, burst, cache in seen:
        status_write = ch == "AW" and axi_id in (ID_MM2S, ID_S2MM)
        want = (0, 2, INCR, AXCACHE) if status_write else (AXSIZE, INCR, AXCACHE)
        got = (length, size, burst, cache) if status_write else (size, burst, cache)
        assert got == want, f"{ch} id {axi_id} at {addr:#x}: (len,) size, burst, cache {got}, expected {want}"
    env.check_guards()


@cocotb.test()
async def test_ioc_counts_ioc_descriptors(dut):
    """IRQ_COUNT counts completed IOC descriptors: IOC on descriptors inside a packet counts, an EOF
    without IOC does not, and a packet of one IOC descriptor counts one."""
    env = await make_env(dut)
    # A: 3 descriptors, IOC on the first two, not on the EOF one; B: one EOF descriptor without IOC;
    # C: 2 descriptors, IOC on the EOF one. The whole chain is linked now (the engine reads NEXT when
    # it fetches a descriptor) and handed over packet by packet through TAILDESC.
    a, _ = env.mm2s_packet([16, 16, 16])
    a[0].ioc = a[1].ioc = True
    b, _ = env.mm2s_packet([16])
    c, _ = env.mm2s_packet([16, 16])
    c[1].ioc = True
    addrs = env.alloc_desc(len(a + b + c))
    env.write_chain(addrs, a + b + c)
    pa, pb, pc = addrs[:3], addrs[3:4], addrs[4:]
    await env.run_chain("MM2S", addrs[0], pa[-1], {"IOC_IRQ_EN": 1, "IRQ_THRESHOLD": 3})
    for packet, count in ((pa, 2), (pb, 2)):
        if packet is pb:
            await env.write_tail("MM2S", pb[-1])
        await env.recv_frame()
        await env.wait_cmplt(packet)
        await env.wait_sr("MM2S", "IDLE")
        sr = await env.sr("MM2S")
        assert sr["IRQ_COUNT"] == count and sr["IOC_IRQ"] == 0, f"{count} IOC descriptors done: {sr}"
        assert dut.irq_mm2s.value == 0
    await env.write_tail("MM2S", pc[-1])
    await env.recv_frame()
    await env.wait_cmplt(pc)
    sr = await env.wait_sr("MM2S", "IOC_IRQ")
    assert sr["IRQ_COUNT"] == 0 and dut.irq_mm2s.value == 1, sr


@cocotb.test()
async def test_hard_reset_during_soft_reset(dut):
    """rst while CR.RESET drains an MM2S transfer held by stream backpressure: afterwards CR = 0, the
    channel is halted without error, and a new descriptor moves its data."""
    env = await make_env(dut)
    env.sink.pause = True                      # hold the transfer so the soft reset has to drain
    descs, _ = env.mm2s_packet([BYTES * 64])
    addrs = env.alloc_desc(1)
    env.write_chain(addrs, descs)
    await env.run_chain("MM2S", addrs[0], addrs[0])
    await ClockCycles(dut.clk, 60)
    await env.regs.write("MM2S", "CR", pack("CR", RESET=1))
    cr = await env.regs.read_fields("MM2S", "CR")
    assert cr["RESET"] == 1, f"soft reset finished while the stream was held: {cr}"
    dut.rst.value = 1
    await ClockCycles(dut.clk, 5)
    dut.rst.value = 0
    await RisingEdge(dut.clk)
    env.sink.pause = False
    env.flush_streams()
    assert await env.regs.read("MM2S", "CR") == 0
    sr = await env.sr("MM2S")
    assert sr["HALTED"] == 1 and sr["ERR"] == 0 and sr["ERRCODE"] == 0 and sr["IRQ_COUNT"] == 0, sr
    await one_mm2s_descriptor(env, BYTES * 3 + 1)


def _every(n: int, phase: int = 0):
    """A pause pattern: paused except one cycle in n (so one write channel lags the other)."""
    i = phase
    while True:
        yield i % n != 0
        i += 1


@cocotb.test()
async def test_axil_write_channels_apart(dut):
    """AXI4-Lite writes whose AW and W arrive in different cycles (AW first, then W first): each
    register takes the data of its own write (read back), and a chain started that way runs."""
    env = await make_env(dut)
    wr = env.axil.write_if
    handshakes = {"aw": [], "w": []}                          # cycles of each AW and W handshake

    async def watch():
        sig = {c: (getattr(dut, f"s_axil_{c}valid"), getattr(dut, f"s_axil_{c}ready")) for c in handshakes}
        while True:
            await RisingEdge(dut.clk)
            for ch, (valid, ready) in sig.items():
                if valid.value == 1 and ready.value == 1:
                    handshakes[ch].append(env.cycle)
    cocotb.start_soon(watch())
    for aw_lag, w_lag in ((1, 7), (7, 1)):                   # W late, then AW late
        wr.aw_channel.set_pause_generator(_every(aw_lag))
        wr.w_channel.set_pause_generator(_every(w_lag, 3))
        # four writes in flight at once: while one write's AW (or W) is held, the next write's W (or
        # AW) is already on the bus, so a register file taking the bus instead of its held copy
        # stores the wrong data (or address)
        values = {(ch, "CR"): pack("CR", IOC_IRQ_EN=1, IRQ_THRESHOLD=aw_lag + (ch == "S2MM"), IRQ_DELAY=w_lag)
                  for ch in ("MM2S", "S2MM")}
        values.update({(ch, "TAILDESC_HI"): 0x3C + w_lag + (ch == "S2MM") for ch in ("MM2S", "S2MM")})
        writes = [cocotb.start_soon(env.regs.write(ch, name, v)) for (ch, name), v in values.items()]
        for w in writes:
            await w
        for (ch, name), v in values.items():
            got = await env.regs.read(ch, name)
            assert got == v, f"{ch} {name}: read {got:#x} after {v:#x} (AW lag {aw_lag}, W lag {w_lag})"
    pairs = list(zip(handshakes["aw"], handshakes["w"], strict=True))
    assert any(a < w for a, w in pairs) and any(w < a for a, w in pairs), f"stimulus: AW/W cycles {pairs}"
    await one_mm2s_descriptor(env, BYTES * 5 + 2)
    wr.aw_channel.clear_pause_generator()
    wr.w_channel.clear_pause_generator()


def hide_side_outputs() -> list[str]:
    """sgdma's outputs that belong to the hide unit (maintenance port, CPU gate, modified pages), read
    from hdl/sgdma.v so that a new one is checked too."""
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "hdl" / "sgdma.v").read_text()
    names = re.findall(r"^\s*output\s+wire\s*(?:\[[^\]]*\])?\s*(\w+)", text, re.M)
    return [n for n in names if re.search(r"maint|_cpu_|^hide_", n)]


@cocotb.test(skip=PARAMS.get("HIDE_ENTRIES", 0) != 0)  # reason: checks the build without a hide unit
async def test_no_hide_unit_ports_inactive(dut):
    """HIDE_ENTRIES = 0: every hide-side output stays 0 while both channels move data, and every hide
    register reads 0 (hdl/sgdma_map.json HIDE_STATUS: "all hide registers read 0")."""
    env = await make_env(dut)
    names = hide_side_outputs()
    assert len(names) > 30, names
    seen: dict[str, int] = {}

    async def watch():
        sigs = [(n, getattr(dut, n)) for n in names]
        while True:
            await RisingEdge(dut.clk)
            for n, s in sigs:
                if s.value != 0:
                    seen.setdefault(n, int(s.value))
    cocotb.start_soon(watch())
    mm2s, data = env.mm2s_packet([BYTES * 9 + 5])
    s2mm = env.s2mm_packet([BYTES * 4])
    ma, sa = env.alloc_desc(1), env.alloc_desc(1)
    env.write_chain(ma, mm2s)
    env.write_chain(sa, s2mm)
    await env.source.send(bytes(range(BYTES * 4)))
    await env.run_chain("MM2S", ma[0], ma[0])
    await env.run_chain("S2MM", sa[0], sa[0])
    assert bytes((await env.recv_frame()).tdata) == data
    await env.wait_cmplt(ma + sa)
    for name in ("HIDE_STATUS", "HIDE_HIDES", "HIDE_MAINT", "HIDE_FULL_STALL", "HIDE_MODIFIED",
                 "HIDE_CPU_STALL", "HIDE_LAST_MOD_LO", "HIDE_LAST_MOD_HI"):
        assert await env.regs.read(None, name) == 0, name
    assert not seen, f"hide-side outputs driven without a hide unit: {seen}"

"""tb/hdl/harness/tb_axi_mem.v alone, driven from tb/fast_agents.HdlMemory: bulk load and read-back
through the files, and a negative control for each violation the agent flags on the beat (a write
without permission, an access to an unmapped page, a burst crossing 4 KiB)."""
from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiBus, AxiMaster

from tb.fast_agents import AgentPort, HdlMemory
from tb.machine_memory import CheckError
from tb.reset import start_clock_and_reset

FRAME = 0x12345                       # the page handed over
BASE = FRAME << 12


class PageMachine:
    """A machine's physical memory as far as HdlMemory uses it: read_phys / write_phys."""

    def __init__(self):
        self.pages = {}

    def _page(self, f):
        return self.pages.setdefault(f, bytearray((f * 7 + i) & 0xFF for i in range(4096)))

    def read_phys(self, addr, n):
        out = bytearray()
        while n:
            f, o = addr >> 12, addr & 0xFFF
            k = min(n, 4096 - o)
            out += self._page(f)[o:o + k]
            addr, n = addr + k, n - k
        return bytes(out)

    def write_phys(self, addr, data):
        data = bytes(data)
        while data:
            f, o = addr >> 12, addr & 0xFFF
            k = min(len(data), 4096 - o)
            self._page(f)[o:o + k] = data[:k]
            addr, data = addr + k, data[k:]


async def setup(dut):
    for name in ("pause", "latency", "cmd", "err_base", "err_end", "err_resp", "err_on"):
        getattr(dut, name).value = 0
    dut.seed.value = cocotb.RANDOM_SEED & 0xFFFF_FFFF
    dut.s_axi_arburst.value = 1
    for name in ("awvalid", "wvalid", "bready", "arvalid", "rready"):
        getattr(dut, f"s_axi_{name}").value = 0
    await start_clock_and_reset(dut.clk, dut.rst)
    machine = PageMachine()
    mem = HdlMemory(AgentPort(dut, prefix=""), dut, machine, len(dut.s_axi_wdata), len(dut.s_axi_awaddr),
                    sets_log2=2, ways=2)
    mem.allowed = [(BASE + 0x100, BASE + 0x180, "cookie")]
    mem.pin([FRAME])
    await mem.sync([FRAME])
    return machine, mem


@cocotb.test()
async def test_load_read_write_back_and_stray_write(dut):
    """Loaded bytes read back on R; a permitted write reaches the machine after read_back; a write
    one byte outside the permission is refused, flagged with its address, and not performed."""
    machine, mem = await setup(dut)
    master = AxiMaster(AxiBus.from_prefix(dut, "s_axi"), dut.clk, dut.rst)
    got = await master.read(BASE + 0x10, 64)
    assert got.data == machine.read_phys(BASE + 0x10, 64), "R data differs from the loaded page"
    await master.write(BASE + 0x100, b"\x5a" * 0x80)
    await mem.read_back()
    assert machine.read_phys(BASE + 0x100, 0x80) == b"\x5a" * 0x80
    mem.check()                                            # nothing flagged so far
    before = machine.read_phys(BASE + 0x180, 8)
    resp = await master.write(BASE + 0x17C, b"\xa5" * 8)   # 4 bytes in, 4 bytes out
    assert int(resp.resp) == 2, f"a refused write answers SLVERR, not {resp.resp}"
    await mem.read_back()
    assert machine.read_phys(BASE + 0x180, 8) == before, "the refused beat was written"
    try:
        mem.check()
    except CheckError as e:
        assert f"stray write (outside the ranges handed to the DUT) at {BASE + 0x180:#x}" in str(e), e
    else:
        raise AssertionError("the stray write was not flagged")


async def by_hand_read(dut, addr, arlen):
    """RRESP of the burst's last beat."""
    return (await by_hand_read_beats(dut, addr, arlen))[-1][0]


async def by_hand_read_beats(dut, addr, arlen):
    """[(RRESP, RDATA)] of every beat of one 8-byte-beat burst."""
    dut.s_axi_arid.value = 0
    dut.s_axi_araddr.value = addr
    dut.s_axi_arlen.value = arlen
    dut.s_axi_arsize.value = 3
    dut.s_axi_arvalid.value = 1
    dut.s_axi_rready.value = 1
    while True:
        await RisingEdge(dut.clk)
        if dut.s_axi_arready.value:
            break
    dut.s_axi_arvalid.value = 0
    beats = []
    while True:
        await RisingEdge(dut.clk)
        if dut.s_axi_rvalid.value:
            beats.append((int(dut.s_axi_rresp.value), int(dut.s_axi_rdata.value)))
            if dut.s_axi_rlast.value:
                break
    await ClockCycles(dut.clk, 2)
    return beats


@cocotb.test()
async def test_unmapped_page_is_flagged(dut):
    machine, mem = await setup(dut)
    resp = await by_hand_read(dut, (FRAME + 1) << 12, 0)
    assert resp == 2, f"a read of an unmapped page answers SLVERR, not {resp}"
    assert int(dut.viol_kind.value) == 2 and int(dut.viol_addr.value) == (FRAME + 1) << 12
    try:
        mem.check()
    except CheckError as e:
        assert "page not handed to the DUT" in str(e), e
    else:
        raise AssertionError("the unmapped access was not flagged")


@cocotb.test()
async def test_4k_crossing_is_flagged(dut):
    machine, mem = await setup(dut)
    await by_hand_read(dut, BASE + 0xFF8, 1)                # 2 beats of 8 bytes: 0xff8 .. 0x1007
    assert int(dut.viol_count.value) == 1 and int(dut.viol_kind.value) == 3, \
        (int(dut.viol_count.value), int(dut.viol_kind.value))
    assert int(dut.viol_addr.value) == BASE + 0xFF8
    await by_hand_read(dut, BASE + 0xFF8, 0)                # one beat ending at 0xfff: legal
    assert int(dut.viol_count.value) == 1


@cocotb.test()
async def test_injected_errors(dut):
    """HdlErrorMap answers as tb/axi_memory.ErrorMap does per beat: a read beat whose word overlaps the
    range answers the error with zero data (the other beats their bytes); a write burst whose span
    overlaps it writes nothing and answers the error on B; neither is a violation; a range for reads
    leaves writes alone; the agent takes one range at a time."""
    machine, mem = await setup(dut)
    word = int.from_bytes
    mem.errors.add(BASE + 0x10B, 1, "SLVERR", on="read")    # a byte of the second word of 0x100..0x11f
    beats = await by_hand_read_beats(dut, BASE + 0x100, 3)
    want = [(2, 0) if i == 1 else (0, word(machine.read_phys(BASE + 0x100 + 8 * i, 8), "little"))
            for i in range(4)]
    assert beats == want, f"R beats {beats}, expected {want}"
    master = AxiMaster(AxiBus.from_prefix(dut, "s_axi"), dut.clk, dut.rst)
    resp = await master.write(BASE + 0x108, b"\x11" * 8)        # the read-only range: written, OKAY
    assert int(resp.resp) == 0, resp.resp
    try:
        mem.errors.add(BASE, 8, "DECERR", on="write")
    except ValueError as e:
        assert "one error range at a time" in str(e), e
    else:
        raise AssertionError("a second error range was taken")
    mem.errors.clear()
    mem.errors.add(BASE + 0x13F, 2, "DECERR", on="write")
    before = machine.read_phys(BASE + 0x120, 0x40)
    resp = await master.write(BASE + 0x120, b"\x77" * 0x20)     # span 0x120..0x13f touches 0x13f
    assert int(resp.resp) == 3, f"a write into the range answers DECERR, not {resp.resp}"
    resp = await master.write(BASE + 0x141, b"\x66" * 0x10)     # its word 0x140 touches 0x140
    assert int(resp.resp) == 3, f"a write whose word overlaps the range answers DECERR, not {resp.resp}"
    resp = await master.write(BASE + 0x150, b"\x55" * 0x10)     # clear of the range: written
    assert int(resp.resp) == 0, resp.resp
    got = await master.read(BASE + 0x138, 8)
    assert int(got.resp) == 0, f"a range for writes answered a read with {got.resp}"
    await mem.read_back()
    assert machine.read_phys(BASE + 0x120, 0x30) == before[:0x30], "an error-injected write was written"
    assert machine.read_phys(BASE + 0x108, 8) == b"\x11" * 8
    assert machine.read_phys(BASE + 0x150, 0x10) == b"\x55" * 0x10
    mem.check()                                              # injected errors are not violations
    mem.errors.clear()
    await RisingEdge(dut.clk)
    assert int(dut.err_resp.value) == 0, "clear() left the range armed"

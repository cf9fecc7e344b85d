"""Python ends of the HDL agents in tb/hdl/harness/sgdma_fast_tb.v: bulk load, readback, commands.

    port = AgentPort(dut, token)            # tb_cmd pulses, file names in the simulation's directory
    mem = HdlMemory(port, machine, data_width, addr_width, index=0)
    mem.allowed = [(start, end, what), ...] # the write permissions (as MachineAxiMemory.allowed)
    await mem.sync(frames)                  # read back what the DUT wrote, then map and load `frames`
    await mem.read_back()                   # the DUT's writes into the machine (allowed ranges only)
    mem.check()                             # raises CheckError naming the first violation (address, cycle)
    mem.errors.add(addr, n, "SLVERR", on="read")   # injected bus errors, as tb/axi_memory.ErrorMap

HdlMemory keeps the machine's physical memory the only truth between windows: the frames a window
touches are mapped into the agent's page slots and loaded from the machine before the window, and the
bytes the DUT may have written (the allowed ranges) are copied back after every event. Files move a
page per line block ($readmemh / $fwrite): a handful of simulator system calls per window instead of a
Python call per word (tb/hdl/harness/tb_axi_mem.v says why).

HdlDiskSource fills tb_axis_source with a packet's beats; TraceDiskSink stores the MM2S packets the
trace shows at block TUSER with the per-packet checks of tb/block_device.BlockDeviceSink.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
from cocotb.triggers import Lock, RisingEdge

from tb.axi_memory import ErrorMap
from tb.block_device import BlockDeviceError, PacketExpectations, check_packet_beats
from tb.bulk_check import keep_packet_bytes
from tb.machine_memory import CheckError

PAGE_LOG2 = 12
PAGE = 1 << PAGE_LOG2
VIOLATION_KINDS = {1: "stray write (outside the ranges handed to the DUT)",
                   2: "access to a page not handed to the DUT",
                   3: "burst crossing a 4 KiB boundary"}

# tb_cmd bits of sgdma_fast_tb
MEM_TAGS, MEM_DATA, MEM_WOK, MEM_READBACK = 1, 2, 4, 8      # shifted by 4 * memory index
SRC_LOAD, SRC_FLUSH = 1 << 8, 1 << 9
TRACE_OPEN, TRACE_FLUSH = 1 << 10, 1 << 11


HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex_words(words: np.ndarray) -> bytes:
    """(n, bytes_per_word) uint8, lane 0 first -> n lines of the words in hex (most significant first)."""
    n, nb = words.shape
    msb_first = words[:, ::-1]
    out = np.empty((n, 2 * nb + 1), dtype=np.uint8)
    out[:, 0:2 * nb:2] = HEX_DIGITS[msb_first >> 4]
    out[:, 1:2 * nb:2] = HEX_DIGITS[msb_first & 0xF]
    out[:, -1] = ord("\n")
    return out.tobytes()


def hex_ints(values: np.ndarray, digits: int) -> np.ndarray:
    """(n,) non-negative int64 -> (n, digits) ASCII hex, most significant digit first (the numpy form
    of f"{v:0{digits}x}" for every value: the loads write thousands of them per window)."""
    shifts = 4 * np.arange(digits - 1, -1, -1, dtype=np.int64)
    return HEX_DIGITS[(values[:, None] >> shifts) & 0xF]


def parse_hex_words(lines: bytes, nbytes: int) -> np.ndarray:
    """Inverse of hex_words: (n, nbytes) uint8 lane 0 first."""
    rows = np.frombuffer(lines, dtype=np.uint8).reshape(-1, 2 * nbytes + 1)[:, :-1]
    lut = np.full(256, 255, dtype=np.uint8)
    for i, c in enumerate(b"0123456789abcdef"):
        lut[c] = i
    nib = lut[rows]
    if (nib == 255).any():
        raise CheckError("read-back of the HDL memory holds X/Z (a word never loaded)")
    pairs = nib.reshape(len(rows), nbytes, 2)
    return ((pairs[:, :, 0] << 4) | pairs[:, :, 1])[:, ::-1]


class AgentPort:
    """tb_cmd pulses and the file names of one simulation (token: unique per process)."""

    def __init__(self, dut, token: int | None = None, prefix: str = "tb_"):
        self.dut = dut
        self.token = token if token is not None else os.getpid() & 0x7FFF_FFFF
        self.dir = Path.cwd()                # the simulator's working directory (cocotb runs there)
        self.cmd = getattr(dut, f"{prefix}cmd")    # "" for an agent that is itself the toplevel
        getattr(dut, f"{prefix}token").value = self.token
        self.cmd.value = 0
        self.remove_stale_files()

    def remove_stale_files(self) -> None:
        """The agents' files of simulations that have ended (a trace can be tens of MB); those of
        simulations still running in this directory (pytest-xdist workers) are kept."""
        for path in self.dir.glob("tb*_*.*"):
            m = re.fullmatch(r"tb(?:mem\d_|src_|trace_)(\d+)(?:_\w+)?\.(?:hex|txt)", path.name)
            if not m or int(m.group(1)) == self.token:
                continue
            try:
                os.kill(int(m.group(1)), 0)
            except ProcessLookupError:
                path.unlink(missing_ok=True)
            except PermissionError:
                pass
        self.lock = Lock()                   # one command sequence at a time (both channels use it)

    def path(self, name: str) -> Path:
        return self.dir / name

    async def pulse(self, bits: int) -> None:
        """One cycle of tb_cmd = bits; returns after the agents acted on it. The caller holds
        `lock` (a sequence such as read back, then load, must not interleave with another)."""
        d = self.dut
        await RisingEdge(d.clk)
        self.cmd.value = bits
        await RisingEdge(d.clk)
        self.cmd.value = 0
        await RisingEdge(d.clk)


class HdlErrorMap(ErrorMap):
    """tb/axi_memory.ErrorMap driven into tb_axi_mem's err_* inputs (the same answers as on the
    per-beat transport: tb_axi_mem.v's header). The agent holds one range, so one entry at a time."""

    def __init__(self, base, end, resp, on):
        super().__init__()
        self._inputs = (base, end, resp, on)
        self._drive()

    @classmethod
    def of(cls, inst, prefix: str = "err_") -> HdlErrorMap:
        return cls(*(getattr(inst, prefix + n) for n in ("base", "end", "resp", "on")))

    def add(self, start: int, length: int, resp: str = "SLVERR", on: str = "both") -> None:
        if self.entries:
            raise ValueError(f"tb_axi_mem injects one error range at a time; clear() the one at "
                             f"{self.entries[0][0]:#x} first")
        super().add(start, length, resp, on)
        self._drive()

    def clear(self) -> None:
        super().clear()
        self._drive()

    def _drive(self) -> None:
        base, end, resp, on = self._inputs
        if self.entries:
            start, stop, code, reads, writes = self.entries[0]
            base.value, end.value, resp.value, on.value = start, stop, code, int(reads) | int(writes) << 1
        else:
            base.value = end.value = resp.value = on.value = 0


class HdlMemory:
    """The Python side of one tb_axi_mem (module docstring). Also the processor's view (read/write go
    to the machine) for tb/axi_memory.GuardRegions. `errors`: the HdlErrorMap on the agent's err_*
    inputs (default: the inputs of `inst`, a tb_axi_mem toplevel; memories that share the inputs share
    the map)."""

    def __init__(self, port: AgentPort, inst, machine, data_width: int, addr_width: int, index: int = 0,
                 sets_log2: int = 9, ways: int = 8, errors: HdlErrorMap | None = None):
        self.port, self.inst, self.machine = port, inst, machine
        self.errors = errors if errors is not None else HdlErrorMap.of(inst)
        self.index = index
        self.nbytes = data_width // 8
        self.words_per_page = PAGE // self.nbytes
        self.sets, self.ways = 1 << sets_log2, ways
        self.pfn_bits = addr_width - PAGE_LOG2
        self.pfn_digits = -(-(self.pfn_bits + 1) // 4)
        self.slot_of: dict[int, int] = {}          # frame -> slot
        self.frame_in: dict[int, int] = {}         # slot -> frame
        self.pinned: dict[int, int] = {}           # frame -> windows using it
        self.wok_slots: set[int] = set()           # slots with a write permission loaded
        self._stale: set[int] = set()              # slots unmapped since the last load (tag to clear)
        self._allowed: list[tuple[int, int, str]] = []
        self.violations: list[str] = []
        self.bursts = []                           # BurstRecord of the trace (tb/env/ddi_fast.py)
        self.bytes_written = 0

    def _name(self, kind: str) -> Path:
        return self.port.path(f"tbmem{self.index}_{self.port.token}_{kind}.hex")

    def _bits(self, bits: int) -> int:
        return bits << (4 * self.index)

    # ---- the processor's view
    def read(self, addr: int, length: int) -> bytes:
        return self.machine.read_phys(addr, length)

    def write(self, addr: int, data) -> None:
        self.machine.write_phys(addr, bytes(data))

    # ---- write permissions
    @property
    def allowed(self) -> list[tuple[int, int, str]]:
        return self._allowed

    @allowed.setter
    def allowed(self, ranges) -> None:
        self._allowed = list(ranges)

    def _wok_of_slot(self, frame: int) -> np.ndarray:
        """Per-byte permission of a frame under the current allowed ranges, packed per word."""
        lo = frame << PAGE_LOG2
        hi = lo + PAGE
        ok = np.zeros(PAGE, dtype=bool)
        for a, e, _what in self._allowed:
            if a < hi and lo < e:
                ok[max(a, lo) - lo:min(e, hi) - lo] = True
        bits = ok.reshape(self.words_per_page, self.nbytes)
        weights = (1 << np.arange(self.nbytes, dtype=np.int64))
        return (bits * weights).sum(axis=1)

    # ---- mapping
    def _place(self, frame: int) -> int:
        base = (frame % self.sets) * self.ways
        for way in range(self.ways):
            slot = base + way
            if slot not in self.frame_in:
                return slot
        for way in range(self.ways):
            slot = base + way
            if not self.pinned.get(self.frame_in[slot]):
                del self.slot_of[self.frame_in.pop(slot)]
                return slot
        raise CheckError(f"tb_axi_mem: more than {self.ways} frames of set {frame % self.sets} in use at "
                         f"once; raise MEM_WAYS or MEM_SETS_LOG2 of sgdma_fast_tb")

    def pin(self, frames) -> None:
        for f in frames:
            self.pinned[f] = self.pinned.get(f, 0) + 1

    def unpin(self, frames) -> None:
        for f in frames:
            self.pinned[f] -= 1
            if not self.pinned[f]:
                del self.pinned[f]

    async def sync(self, frames=()) -> None:
        """Copy back what the DUT wrote, then map `frames` (loading their bytes from the machine) and
        load the write permissions of every mapped slot that has or had one."""
        async with self.port.lock:
            await self._read_back()
            await self._load(frames)

    async def _load(self, frames) -> None:
        # frames no window uses any more are unmapped: an access to them is flagged
        for slot, f in list(self.frame_in.items()):
            if f not in frames and not self.pinned.get(f):
                del self.frame_in[slot], self.slot_of[f]
                self._stale.add(slot)
        tags, data = [], []
        for f in sorted(set(frames)):
            slot = self.slot_of.get(f)
            if slot is None:
                slot = self._place(f)
                self.slot_of[f], self.frame_in[slot] = slot, f
                self._stale.discard(slot)
                tags.append(f"@{slot:x}\n{(1 << self.pfn_bits) | f:0{self.pfn_digits}x}\n")
        tags += [f"@{slot:x}\n{0:0{self.pfn_digits}x}\n" for slot in sorted(self._stale)]
        self._stale.clear()
        for f in sorted(set(frames)):
            slot = self.slot_of[f]
            page = np.frombuffer(self.machine.read_phys(f << PAGE_LOG2, PAGE), dtype=np.uint8)
            data.append(f"@{slot * self.words_per_page:x}\n".encode())
            data.append(hex_words(page.reshape(self.words_per_page, self.nbytes)))
        # permissions: every slot an allowed range touches, and every slot that had one (cleared)
        wok_lines = []
        want = {self.slot_of[f] for a, e, _w in self._allowed
                for f in range(a >> PAGE_LOG2, ((e - 1) >> PAGE_LOG2) + 1) if f in self.slot_of}
        digits = -(-self.nbytes // 4)
        for slot in sorted(want | self.wok_slots):
            frame = self.frame_in.get(slot)
            words = self._wok_of_slot(frame) if frame is not None else np.zeros(self.words_per_page, np.int64)
            wok_lines.append(f"@{slot * self.words_per_page:x}\n")
            lines = np.full((len(words), digits + 1), ord("\n"), dtype=np.uint8)
            lines[:, :digits] = hex_ints(words, digits)
            wok_lines.append(lines.tobytes().decode("ascii"))
        self.wok_slots = want
        bits = 0
        if tags:
            self._name("tags").write_text("".join(tags))
            bits |= MEM_TAGS
        if data:
            self._name("data").write_bytes(b"".join(data))
            bits |= MEM_DATA
        if wok_lines:
            self._name("wok").write_text("".join(wok_lines))
            bits |= MEM_WOK
        if bits:
            await self.port.pulse(self._bits(bits))

    async def read_back(self) -> int:
        """The DUT's writes since the last read-back into the machine, allowed ranges only (a write
        elsewhere was refused by the agent). Returns the bytes copied."""
        async with self.port.lock:
            return await self._read_back()

    async def _read_back(self) -> int:
        await self.port.pulse(self._bits(MEM_READBACK))
        raw = self._name("rb").read_bytes()
        if not raw:
            return 0
        copied = 0
        line = 2 * self.nbytes + 1
        pos = 0
        while pos < len(raw):
            nl = raw.index(b"\n", pos)
            slot = int(raw[pos + 1:nl], 16)
            pos = nl + 1
            words = parse_hex_words(raw[pos:pos + line * self.words_per_page], self.nbytes)
            pos += line * self.words_per_page
            frame = self.frame_in.get(slot)
            if frame is None:
                continue
            page = words.reshape(-1)
            lo = frame << PAGE_LOG2
            for a, e, _what in self._allowed:
                s, t = max(a, lo), min(e, lo + PAGE)
                if s < t:
                    self.machine.write_phys(s, page[s - lo:t - lo].tobytes())
                    copied += t - s
        self.bytes_written += copied
        return copied

    # ---- pacing
    def set_pacing(self, pause: float, latency: int) -> None:
        d = self.port.dut
        d.tb_mem_pause.value = min(255, int(round(pause * 256)))
        d.tb_mem_latency.value = min(255, latency)

    # ---- violations
    def check(self) -> None:
        """CheckError naming the agent's first violation, if any."""
        count = int(self.inst.viol_count.value)
        if not count:
            return
        kind = int(self.inst.viol_kind.value)
        addr = int(self.inst.viol_addr.value)
        msg = (f"tb_axi_mem{self.index}: {VIOLATION_KINDS.get(kind, kind)} at {addr:#x}, "
               f"cycle {int(self.inst.viol_cycle.value)} ({count} violation(s)); allowed "
               f"{[(hex(a), hex(b), w) for a, b, w in self._allowed[:4]]}")
        if msg not in self.violations:
            self.violations.append(msg)
        raise CheckError(msg)


def frames_of(ranges) -> set[int]:
    """Frames touched by [(addr, nbytes), ...]."""
    out = set()
    for a, n in ranges:
        if n > 0:
            out.update(range(a >> PAGE_LOG2, ((a + n - 1) >> PAGE_LOG2) + 1))
    return out


class HdlDiskSource:
    """S2MM side of the disk on tb_axis_source: packets from blocks of `store`, loaded in bulk."""

    def __init__(self, port: AgentPort, inst, store, data_width: int, depth_log2: int = 17):
        self.port, self.inst, self.store = port, inst, store
        self.nbytes = data_width // 8
        self.depth = 1 << depth_log2
        self.tail = 0
        self.pending: list[bytes] = []
        self.flush_pending = False
        port.dut.tb_src_tail.value = 0

    async def send_blocks(self, blkno: int, nbytes: int) -> bytes:
        data = self.store.read(blkno, nbytes)
        self.pending.append(data)
        return data

    def send_nowait(self, frame) -> None:
        self.pending.append(bytes(frame.tdata))

    def clear(self) -> None:
        """Drop the beats not yet taken (at the next sync)."""
        self.pending.clear()
        self.flush_pending = True

    def set_pause_generator(self, _gen=None) -> None:      # pacing is tb_axis_pause (HdlPacing)
        pass

    def _entries(self, data: bytes) -> bytes:
        b = self.nbytes
        n = len(data)
        nbeats = -(-n // b)
        words = np.zeros(nbeats * b, dtype=np.uint8)
        words[:n] = np.frombuffer(data, dtype=np.uint8)
        keep = np.full(nbeats, (1 << b) - 1, dtype=np.int64)
        keep[-1] = (1 << (n - (nbeats - 1) * b)) - 1
        last = np.zeros(nbeats, dtype=np.int64)
        last[-1] = 1
        top = (last << b) | keep
        digits = -(-(b + 1) // 4)
        hexdata = hex_words(words.reshape(nbeats, b))
        rows = np.frombuffer(hexdata, dtype=np.uint8).reshape(nbeats, 2 * b + 1)
        return np.concatenate([hex_ints(top, digits), rows], axis=1).tobytes()

    async def sync(self) -> None:
        """Load the packets sent since the last sync into the source ring and publish them."""
        async with self.port.lock:
            await self._sync()

    async def _sync(self) -> None:
        d = self.port.dut
        if self.flush_pending:
            self.flush_pending = False
            await self.port.pulse(SRC_FLUSH)
        if not self.pending:
            return
        chunks = []
        for data in self.pending:
            entries = self._entries(data)
            nbeats = -(-len(data) // self.nbytes)
            if self.tail + nbeats - int(self.inst.head.value) > self.depth:
                # loaded before the hand-over: nothing would drain the ring while we waited
                raise CheckError(f"tb_axis_source: the S2MM packets of this window need more than its "
                                 f"{self.depth} beats; raise SRC_DEPTH_LOG2 of sgdma_fast_tb")
            rowlen = len(entries) // nbeats
            pos = self.tail % self.depth
            split = min(nbeats, self.depth - pos)
            chunks.append(f"@{pos:x}\n".encode() + entries[:split * rowlen])
            if split < nbeats:
                chunks.append(b"@0\n" + entries[split * rowlen:])
            self.tail += nbeats
        self.pending.clear()
        self.port.path(f"tbsrc_{self.port.token}.hex").write_bytes(b"".join(chunks))
        await self.port.pulse(SRC_LOAD)
        d.tb_src_tail.value = self.tail & 0xFFFF_FFFF


class TraceDiskSink:
    """MM2S side of the disk: packets from the trace's m_axis beats stored at block TUSER, checked per
    packet like tb/block_device.BlockDeviceSink (TKEEP, TLAST position, TUSER)."""

    def __init__(self, inst, store, data_width: int):
        self.inst, self.store = inst, store
        self.data_bytes = data_width // 8
        self.expectations = PacketExpectations()
        self.packets = 0
        self.received = []
        self._data: list[np.ndarray] = []
        self._keep: list[np.ndarray] = []
        self._user: set[int] = set()

    def expect(self, blkno: int, nbytes: int) -> None:
        self.expectations.expect(blkno, nbytes)

    def beats(self, b, rows) -> None:
        """The MM2S stream beats `rows` of a trace batch: packets end on TLAST."""
        last = np.flatnonzero(b.last[rows])
        start = 0
        for end in (last + 1).tolist() + [len(rows)]:
            if end <= start:
                continue
            r = rows[start:end]
            self._data.append(b.data[r].reshape(-1))
            self._keep.append(b.strb[r])
            users = b.user[r]
            self._user.update(users.tolist() if (users != users[0]).any() else (int(users[0]),))
            if b.last[r[-1]]:
                self._packet()
            start = end

    def _packet(self) -> None:
        packet = self.packets
        self.packets += 1
        b = self.data_bytes
        keeps = np.concatenate(self._keep)
        nbytes = keep_packet_bytes(keeps, b)
        if nbytes is None:       # the contract is broken: the per-lane check names the beat
            check_packet_beats([(int(k) >> j) & 1 for k in keeps for j in range(b)], b, packet)
        if len(self._user) != 1:
            raise BlockDeviceError(f"packet {packet}: TUSER changes within the packet: {sorted(self._user)}")
        blkno = self._user.pop()
        self.expectations.check(packet, blkno, nbytes)
        self.store.write(blkno, np.concatenate(self._data)[:nbytes].tobytes())
        self.received.append((blkno, nbytes))
        self._data, self._keep, self._user = [], [], set()

    def drop_partial(self) -> None:
        """Forget the beats of a packet cut short (an aborted MM2S transfer: no TLAST comes), as a reset
        of the per-beat transport's stream sink does; the caller drains the trace first."""
        self._data, self._keep, self._user = [], [], set()

    def empty(self) -> bool:
        return True

    def set_pause_generator(self, _gen=None) -> None:      # pacing is tb_axis_pause
        pass

    def hdl_packets(self) -> int:
        return int(self.inst.packets.value)

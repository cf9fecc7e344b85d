"""The DUT adapter interface: everything an environment needs to know about a DMA controller's software
interface, so that the environments (tb/env/) name no register and no descriptor field.

A new DMA gets a new adapter (and, if its ports differ, a toplevel wrapper keeping the prefixes
s_axil_, m_axi_, m_axis_, s_axis_). sgdma's is tb/sgdma_adapter.SgdmaAdapter; the deliberately
different tb/sgdma_adapter.PolledSgdmaAdapter (no interrupt lines, another ring layout, the tail moved
without touching the control register) runs the DDI flow's checks unchanged (tests/hw/test_ddi.py).

    caps()                          capability record (tb/ddi_driver.Caps) -> ddi_dma_attr
    layout                          RingLayout: slot size and alignment, descriptor encoding, STATUS
    capabilities                    what the adapter can do (interrupt lines or polling)
    start_chain(ch, first, tail, irq)   hand a chain to a halted channel
    extend_chain(ch, tail, irq)     append descriptors to a running channel
    status(ch) -> ChannelStatus     halted, idle, error code, pending events
    wait_event(ch)                  returns when the channel may have something to report
    ack(ch, status)                 acknowledge the events of `status`
    error_descriptor(ch)            bus address of the descriptor an error stopped at
    reset_channel(ch)               soft reset: the channel is halted without an error afterwards
    error_code(name), error_name(code)  the DUT's error codes by name
    describe(ch)                    one line of channel state for a failure message (watchdog)
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IrqPolicy:
    """When the channel should report: after `threshold` packets, or `delay` idle cycles (0: never)."""

    threshold: int = 1
    delay: int = 0


@dataclass(frozen=True)
class ChannelStatus:
    halted: bool
    idle: bool
    error: int = 0                 # the DUT's error code; 0: none
    done: bool = False             # a completion event is pending
    delayed: bool = False          # a delay (coalescing timeout) event is pending
    failed: bool = False           # an error event is pending
    raw: dict = field(default_factory=dict, compare=False)   # the DUT's own view, for messages


@dataclass(frozen=True)
class DescStatus:
    """What the DUT wrote back into a descriptor."""

    complete: bool
    error: int
    xferred: int
    rx_sof: bool = False
    rx_eof: bool = False


@dataclass(frozen=True)
class Capabilities:
    interrupts: bool = True        # events come on interrupt lines (else wait_event polls)


class RingLayout(ABC):
    """A descriptor ring's layout in memory: slot size, alignment, encoding, the STATUS write-back.

    Descriptors are records with the attributes next, addr, length, sof, eof, ioc, user (what the
    environments read back); `descriptor()` builds one."""

    slot_bytes: int                # bytes between neighbouring slots
    align: int                     # alignment of a slot's bus address
    status_offset: int             # offset of the STATUS word the DUT writes back
    status_bytes: int

    @abstractmethod
    def descriptor(self, *, addr: int = 0, length: int = 0, sof: bool = False, eof: bool = False,
                   ioc: bool = False, user: int = 0):
        """A descriptor for a buffer, with the layout's default attributes."""

    @abstractmethod
    def encode(self, desc) -> bytes:
        """slot_bytes bytes."""

    @abstractmethod
    def decode(self, raw: bytes):
        """The descriptor of a slot's bytes."""

    @abstractmethod
    def status(self, raw: bytes) -> DescStatus:
        """The STATUS write-back (status_bytes bytes at status_offset)."""


class DutAdapter(ABC):
    """A DMA controller's software interface (module docstring)."""

    capabilities = Capabilities()
    layout: RingLayout

    @abstractmethod
    async def caps(self):
        """The capability record (tb/ddi_driver.Caps)."""

    @abstractmethod
    async def start_chain(self, ch: str, first: int, tail: int, irq: IrqPolicy) -> None: ...

    @abstractmethod
    async def extend_chain(self, ch: str, tail: int, irq: IrqPolicy) -> None: ...

    @abstractmethod
    async def status(self, ch: str) -> ChannelStatus: ...

    @abstractmethod
    async def wait_event(self, ch: str) -> None: ...

    @abstractmethod
    async def ack(self, ch: str, status: ChannelStatus) -> None: ...

    @abstractmethod
    async def error_descriptor(self, ch: str) -> int: ...

    @abstractmethod
    async def reset_channel(self, ch: str) -> None: ...

    async def abort(self, ch: str) -> None:
        """Stop the channel mid-chain without an error (the driver cancels); it halts when drained.
        Restarted like a fresh channel (start_chain). Optional: the error-path tests need it."""
        raise NotImplementedError(f"{type(self).__name__} cannot abort a channel")

    @abstractmethod
    def error_code(self, name: str) -> int: ...

    @abstractmethod
    def error_name(self, code: int) -> str: ...

    async def describe(self, ch: str) -> str:
        st = await self.status(ch)
        return (f"{ch}: halted {int(st.halted)} idle {int(st.idle)} error {self.error_name(st.error)}; "
                f"{st.raw}")

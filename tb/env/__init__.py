"""The layered environments (docs/tb.md draws them).

base.BaseEnv     sgdma's ports: clock/reset, memory agents, register driver + DUT adapter, stream agents,
                 pacing, seed, burst log, tie-offs, watchdog
  sgdma.SgdmaEnv   register-level layer: sgdma's registers and descriptors (tests/hw/cocotb_sgdma.py)
    hide_top.HideTopEnv   plus the CPU gate, a processor cache and the hide unit's checkers
  ddi.DdiEnv       DDI layer: pyddi_model's machine, the driver flow, the beat scoreboards
Block level (the movers, the hide unit, the sg engine alone), on the same parts (tb/pacing.py,
tb/reset.py, tb/axi_memory.py): mm2s.Mm2sEnv, s2mm.S2mmEnv, hide.HideEnv, sg_engine.FakeMover.
"""

"""ddi-dma testbench: cocotb components (agents, models, checkers, environment) for sgdma."""

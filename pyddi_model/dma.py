class DmaMixin:
    """Placeholder until the DMA engineer lands dma.py."""

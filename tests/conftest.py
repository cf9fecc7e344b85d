"""Make the repository root importable (pyddi_model, tb) for every test."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))



def pytest_addoption(parser):
    # Here, not in tests/hw/conftest.py: options must be known before pytest collects tests/hw
    # (`make regress` passes them with no path on the command line).
    parser.addoption("--sim", default="all", choices=("all", "icarus", "verilator"),
                     help="simulator(s) for hw tests (default: all)")
    parser.addoption("--seeds", type=int, default=1, help="random seeds per hw test (make regress)")

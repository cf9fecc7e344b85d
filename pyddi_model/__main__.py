"""``python -m pyddi_model``: the command line (see :mod:`pyddi_model.cli`)."""
import sys

from .cli import main

sys.exit(main())

"""Generated docs with hand-written notes: everything from a marker line on survives a regeneration.

    write_keeping_notes(Path("docs/bench_sim.md"), table_text, NOTES_MARKER)
"""
from __future__ import annotations

from pathlib import Path


def write_keeping_notes(path: Path, generated: str, marker: str) -> str:
    """Write `generated`, then the old file's part from `marker` on (the marker alone if it had none);
    returns the text written."""
    old = path.read_text() if path.exists() else ""
    notes = old[old.index(marker):] if marker in old else marker + "\n"
    text = generated.rstrip("\n") + "\n\n" + notes
    path.write_text(text)
    return text

"""tb/doc_notes.py: a regenerated doc keeps the hand-written notes from its marker on."""
from __future__ import annotations

from tb.doc_notes import write_keeping_notes

MARK = "<!-- notes -->"


def test_notes_from_the_marker_survive(tmp_path):
    doc = tmp_path / "d.md"
    doc.write_text(f"# old table\n\n{MARK}\nmeasured by hand\n")
    text = write_keeping_notes(doc, "# new table\n", MARK)
    assert text == doc.read_text() == f"# new table\n\n{MARK}\nmeasured by hand\n"


def test_a_doc_without_notes_gets_the_marker(tmp_path):
    doc = tmp_path / "d.md"
    write_keeping_notes(doc, "# table", MARK)                 # no file yet
    assert doc.read_text() == f"# table\n\n{MARK}\n"
    doc.write_text("# table\n\nnot behind a marker\n")       # text without the marker is generated: replaced
    write_keeping_notes(doc, "# table 2", MARK)
    assert doc.read_text() == f"# table 2\n\n{MARK}\n"

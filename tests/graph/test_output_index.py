"""outputs/INDEX.md: one line per output file in the folder, saying what it is and how
to open it; registered last so it sees every file the build wrote."""
from __future__ import annotations

from renda_kg.graph.export import FORMATS
from renda_kg.graph.export.output_index import HOW_TO_OPEN, BuildOutputs, write_index


def test_index_is_the_last_format_written():
    assert list(FORMATS)[-1] == "index"
    assert FORMATS["index"].filename == "INDEX.md"


def test_index_lists_each_file_present_with_description_and_how_to_open(tmp_path):
    present = [FORMATS["json"], FORMATS["gexf"], FORMATS["html"]]
    for fmt in present:
        (tmp_path / fmt.filename).write_text("x" * 2048)
    (tmp_path / FORMATS["ttl"].filename).write_text("left by an earlier build")
    write_index(BuildOutputs(0, 0, [tmp_path / f.filename for f in present]), tmp_path / "INDEX.md")
    rows = [line for line in (tmp_path / "INDEX.md").read_text("utf-8").splitlines()
            if line.startswith("| [")]
    listed = {fmt.filename for fmt in FORMATS.values() if any(f"[{fmt.filename}]" in r for r in rows)}
    assert listed == {fmt.filename for fmt in present}, "only this build's files, never INDEX.md itself"
    for fmt in present:
        row = next(r for r in rows if f"[{fmt.filename}]" in r)
        suffix = "." + fmt.filename.rsplit(".", 1)[1]
        assert fmt.description in row and HOW_TO_OPEN[suffix] in row and "2.0 KiB" in row
    assert [r.split("]")[0][3:] for r in rows] == [f.filename for f in FORMATS.values() if f in present]


def test_every_registered_file_says_how_to_open_it():
    suffixes = {"." + f.filename.rsplit(".", 1)[1] for f in FORMATS.values() if f.name != "index"}
    assert suffixes <= set(HOW_TO_OPEN), "add a line on how to open it to output_index.HOW_TO_OPEN"

"""Hostile input and interrupted builds (issue 10): every case a user has hit, as a test.

Each test names the defect it guards against; all run the real CLI (a subprocess
where signals, exit codes or stdout bytes matter) or the real worker pool.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from renda_kg.cli import main
from renda_kg.corpus_runner import Failure, Limits, process_files

ROOT = Path(__file__).resolve().parents[1]
PAGE_004 = next((ROOT / "seeds").glob("004_*.txt"))
DONGGUAN = "人大代表在行动\n\n代表们来到东莞市东坑镇开展活动，中山市小榄镇人大代表联络站也来了。\n"


def cli(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "renda_kg.cli", *args], capture_output=True,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, **kw)


def jsonl(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


# -- defect 1: a town of a city without counties hung extraction -------------------------

def test_a_town_of_dongguan_is_extracted_and_located(tmp_path):
    page = tmp_path / "t.txt"
    page.write_text(DONGGUAN, "utf-8")
    result = cli("extract", str(page), "--extractors", "rules", timeout=120)
    assert result.returncode == 0, result.stderr
    (record,) = jsonl(result.stdout)
    located = {(r["head"], r["tail"]) for r in record["relations"] if r["relation"] == "locatedIn"}
    assert {("东坑镇", "东莞市"), ("小榄镇", "中山市")} <= located


# -- defect 2: a non-UTF-8 byte in a file name lost every output --------------------------

@pytest.fixture()
def badly_named(tmp_path) -> Path:
    corpus = tmp_path / "d"
    corpus.mkdir()
    (corpus / "004.txt").write_bytes(PAGE_004.read_bytes())
    (corpus / os.fsdecode(b"bad\xff.txt")).write_bytes(DONGGUAN.encode("utf-8"))
    return corpus


def test_file_names_in_any_bytes_survive_into_every_output(tmp_path, badly_named):
    out = tmp_path / "out"
    result = cli("build", str(badly_named), "-o", str(out), "-j", "2", "--extractors", "rules")
    assert result.returncode == 0, result.stderr
    records = jsonl((out / "articles.jsonl").read_bytes())
    assert [Path(r["path"]).name for r in records] == ["004.txt", "bad\\xff.txt"]
    assert [r["doc"] for r in records] == ["004", "bad\\xff"]
    for name in ("entities.jsonl", "graph.json", "graph.ttl", "graph.nt", "graph.gexf", "graph.graphml",
                 "graph.html", "INDEX.md"):
        assert (out / name).read_bytes().decode("utf-8"), name      # valid UTF-8, not empty
    assert "bad\\\\xff.txt" in (out / "graph.json").read_text("utf-8")


def test_extract_prints_valid_utf8_for_a_badly_named_file(tmp_path, badly_named):
    to_stdout = cli("extract", str(badly_named), "--extractors", "rules")
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert [r["doc"] for r in jsonl(to_stdout.stdout)] == ["004", "bad\\xff"]
    to_file = cli("extract", str(badly_named), "--extractors", "rules", "-o", str(tmp_path / "p.jsonl"))
    assert to_file.returncode == 0, to_file.stderr
    assert (tmp_path / "p.jsonl").read_bytes() == to_stdout.stdout


# -- defect 5: special files --------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_and_devices_are_reported_not_read(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "page.txt").write_text(DONGGUAN, "utf-8")
    os.mkfifo(corpus / "pipe.txt")
    inputs = [str(corpus)] + (["/dev/zero"] if Path("/dev/zero").exists() else [])
    result = cli("build", *inputs, "-o", str(tmp_path / "out"), "--extractors", "rules", timeout=120)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "pipe.txt: is a FIFO (named pipe), not a regular file" in stderr
    if len(inputs) > 1:
        assert "/dev/zero: is a character device, not a regular file" in stderr
    assert [r["doc"] for r in jsonl((tmp_path / "out" / "articles.jsonl").read_bytes())] == ["page"]


# -- defect 7: one control character in the text ----------------------------------------

def test_a_stray_nul_and_escape_are_text_and_every_xml_output_parses(tmp_path):
    """One ESC in the headline and one NUL in the body: read as text (not 'binary'),
    and GEXF/GraphML stay valid XML for Gephi and Cytoscape."""
    import xml.etree.ElementTree as ET
    page = tmp_path / "c.txt"
    page.write_bytes("人大代表\x1b联络站\n\n开化县人大常委会在\x00齐溪镇建成代表联络站。\n".encode("utf-8"))
    out = tmp_path / "out"
    assert main(["build", str(page), "-o", str(out), "-q", "--extractors", "rules"]) == 0
    for name in ("graph.gexf", "graph.graphml"):
        ET.parse(out / name)
    (record,) = jsonl((out / "entities.jsonl").read_bytes())
    assert "齐溪镇" in {e["name"] for e in record["entities"]}


# -- defect 9 / deliverable 3: a file over the size cap is reported, never read -----------

def test_file_over_the_size_cap_is_skipped_and_named(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "small.txt").write_text(DONGGUAN, "utf-8")
    (corpus / "huge.txt").write_text(DONGGUAN * 100, "utf-8")
    result = cli("extract", str(corpus), "--max-file-size", "4k", "--extractors", "rules")
    assert result.returncode == 1
    assert "huge.txt: too large (12.0 KiB; the limit is 4.0 KiB, see --max-file-size)" in result.stderr.decode()
    assert [r["doc"] for r in jsonl(result.stdout)] == ["small"]


# -- defect 6: same file name in two folders ----------------------------------------------

def test_same_file_name_in_two_folders_gives_two_documents(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_bytes(PAGE_004.read_bytes())
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out), "-q",
                 "--extractors", "rules", "--format", "articles,json"]) == 0
    docs = [r["doc"] for r in jsonl((out / "articles.jsonl").read_bytes())]
    assert docs == ["a/page", "b/page"]
    graph = json.loads((out / "graph.json").read_text("utf-8"))
    articles = [n for n in graph["nodes"] if n.get("type") == "Article"]
    assert len(articles) == 2 * len(jsonl((out / "articles.jsonl").read_bytes())[0]["articles"])


def test_unique_stems_keep_their_plain_ids():
    from renda_kg.extractors.input_reader import document_ids
    paths = [Path("x/000_a.txt"), Path("y/page.txt"), Path("z/w/page.txt"), Path("z/w/page.md")]
    assert list(document_ids(paths).values()) == ["000_a", "y/page.txt", "w/page.txt", "w/page.md"]


# -- defect 11: UTF-16 LE without a BOM was called binary ---------------------------------

def test_utf16_without_bom_is_read(tmp_path):
    from renda_kg.extractors.input_reader import read_document
    text = "人大代表联络站\n\n代表们来到开化县齐溪镇开展活动。"
    for codec in ("utf-16-le", "utf-16-be"):
        (tmp_path / "p.txt").write_bytes(text.encode(codec))
        doc = read_document(tmp_path / "p.txt")
        assert doc.raw == text and doc.encoding == "utf-16"


# -- deliverable 2: a runaway document cannot take the build down -------------------------

def _sleepy(source):
    """A stage that never finishes on one file (the warm-up passes)."""
    if "forever" in source.path:
        time.sleep(3600)
    return source.doc_id


def _greedy(source):
    """A stage that allocates without end on one file."""
    if "greedy" in source.path:
        hoard = []
        while True:
            hoard.append(b"\x01" * (32 * 1024 * 1024))
            time.sleep(0.005)
    return source.doc_id


def _crashing(source):
    if "crash" in source.path:
        os._exit(7)
    return source.doc_id


@pytest.mark.parametrize("stage, bad, limits, reason", [
    (_sleepy, "forever.txt", Limits(seconds=1.5, memory=0), "stopped after 1.5 s (--doc-timeout)"),
    (_greedy, "greedy.txt", Limits(seconds=60, memory=1024 ** 3), "of memory (--doc-memory 1.0 GiB)"),
    (_crashing, "crash.txt", Limits(seconds=60, memory=0), "the worker process died (exit code 7)"),
])
def test_runaway_document_is_stopped_and_the_rest_completes(tmp_path, stage, bad, limits, reason):
    names = ["a.txt", bad, "z.txt"]
    for name in names:
        (tmp_path / name).write_text("人大\n\n代表们开展活动。\n", "utf-8")
    results = list(process_files(sorted(tmp_path.iterdir()), stage, limits=limits))
    assert results[0] == "a" and results[2] == "z"
    assert isinstance(results[1], Failure) and results[1].path.endswith(bad), results
    assert reason in results[1].reason


def _archive(corpus: Path) -> None:
    """A long text (850 KB) whose sentences never repeat, so no cache makes it quick."""
    import random
    import re
    corpus.mkdir()
    sentences = re.split("(?<=。)", PAGE_004.read_text("utf-8"))
    rng = random.Random(7)
    parts = []
    for i in range(60):
        rng.shuffle(sentences)
        parts.append("".join(f"{s}{i}" for s in sentences))
    (corpus / "archive.txt").write_text("\n".join(parts), "utf-8")
    (corpus / "page.txt").write_text(DONGGUAN, "utf-8")


def test_sigterm_during_extraction_stops_the_workers_at_once(tmp_path):
    corpus = tmp_path / "in"
    _archive(corpus)
    proc = subprocess.Popen([sys.executable, "-m", "renda_kg.cli", "build", str(corpus), "-o",
                             str(tmp_path / "out"), "-q", "--extractors", "rules"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(8)             # the worker has warmed up and is inside the archive
    assert proc.poll() is None
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143 and b"terminated" in stderr
    assert time.monotonic() - sent < 20
    assert not (tmp_path / "out").exists() and list(tmp_path.glob(".out.*")) == []


def test_runaway_document_is_reported_by_the_cli(tmp_path):
    """A text too large to finish in the limit: reported by name, the other file built."""
    corpus = tmp_path / "in"
    _archive(corpus)
    out = tmp_path / "out"
    result = cli("build", str(corpus), "-o", str(out), "--doc-timeout", "2", "--extractors", "rules")
    assert result.returncode == 1
    assert "renda-kg: skipped " + str(corpus / "archive.txt") + ": stopped after 2 s (--doc-timeout)" \
        in result.stderr.decode()
    assert [r["doc"] for r in jsonl((out / "articles.jsonl").read_bytes())] == ["page"]


# -- defect 8 / deliverable 5: the build is atomic as a whole -----------------------------

def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, the query store's folder included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def previous_build(tmp_path) -> Path:
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "page.txt").write_text(DONGGUAN, "utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "first"), "-o", str(out), "-q", "--extractors", "rules"]) == 0
    (out / "README.md").write_text("kept by every build\n", "utf-8")
    return out


def test_a_failed_write_leaves_the_previous_build_whole(tmp_path, previous_build, monkeypatch, capsys):
    import errno
    from renda_kg.graph.export import html
    before = _snapshot(previous_build)

    def disk_full(graph, path):
        Path(path).write_bytes(b"half a page")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(html, "write_html", disk_full)
    code = main(["build", str(PAGE_004), "-o", str(previous_build), "-q", "--extractors", "rules"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"renda-kg: error: cannot write {previous_build / 'graph.html'}: No space left on device; "
                   f"{previous_build} is unchanged"]
    assert _snapshot(previous_build) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_new_build_replaces_the_old_one_and_keeps_foreign_files(previous_build):
    assert main(["build", str(PAGE_004), "-o", str(previous_build), "-q", "--extractors", "rules",
                 "--format", "articles,index"]) == 0
    assert sorted(p.name for p in previous_build.iterdir()) == ["INDEX.md", "README.md", "articles.jsonl"]
    assert (previous_build / "README.md").read_text("utf-8") == "kept by every build\n"
    assert "004" in (previous_build / "articles.jsonl").read_text("utf-8")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_one_complete_build(tmp_path, previous_build, how):
    """kill -9 or SIGTERM while the new build is being written: the folder is the old build;
    SIGTERM cleans its staging folder at once, the next build cleans up after kill -9."""
    before = _snapshot(previous_build)
    proc = subprocess.Popen([sys.executable, "-m", "renda_kg.cli", "build", str(ROOT / "seeds"),
                             "-o", str(previous_build), "-q", "--extractors", "rules"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    staging = []
    while not staging and proc.poll() is None and time.monotonic() < deadline:
        staging = [p for p in tmp_path.glob(".out.renda-kg-new.*") if any(p.iterdir())]
        time.sleep(0.01)
    assert staging, "the build writes into a staging folder beside the output"
    proc.send_signal(how)
    _, stderr = proc.communicate(timeout=60)
    assert _snapshot(previous_build) == before
    leftovers = list(tmp_path.glob(".out.renda-kg-*"))
    if how == signal.SIGTERM:
        assert proc.returncode == 143 and b"terminated; outputs unchanged" in stderr
        assert leftovers == []
    assert main(["build", str(PAGE_004), "-o", str(previous_build), "-q", "--extractors", "rules"]) == 0
    assert list(tmp_path.glob(".out.renda-kg-*")) == []
    assert "004" in (previous_build / "INDEX.md").read_text("utf-8") or \
        "1 input document" in (previous_build / "INDEX.md").read_text("utf-8")


# -- defect 11 and deliverable 8: clear errors, checked before the work -------------------

@pytest.mark.parametrize("args, message", [
    (["build", "{page}", "-o", "{file}"], "-o {file}: exists and is not a directory"),
    (["extract", "{page}", "-o", "{dir}"], "-o {dir}: is a directory"),
    (["build", "{page}", "--doc-memory", "lots"], "--doc-memory: not a size: 'lots'"),
    (["build", "{page}", "--doc-timeout", "-1"], "--doc-timeout takes seconds"),
    (["extract", "{page}", "--encoding", "klingon"], "--encoding: unknown codec klingon"),
])
def test_unusable_arguments_are_usage_errors_found_first(tmp_path, args, message):
    (tmp_path / "file").write_text("x")
    fill = {"page": str(PAGE_004), "file": str(tmp_path / "file"), "dir": str(tmp_path)}
    result = cli(*[a.format(**fill) for a in args], timeout=60)
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 2 and len(lines) == 1
    assert lines[0].startswith("renda-kg: error: ") and message.format(**fill) in lines[0]


def test_stats_on_anything_but_a_graph_is_one_line(tmp_path):
    (tmp_path / "empty.json").write_text("{}")
    (tmp_path / "page.txt").write_text(DONGGUAN, "utf-8")
    (tmp_path / "list.json").write_text('{"nodes": [1], "edges": []}')
    for name, message in (("page.txt", "not JSON"), ("empty.json", "JSON but not a node-link graph"),
                          ("list.json", "JSON but not a node-link graph"), ("missing.json", "no such file")):
        result = cli("stats", str(tmp_path / name), timeout=60)
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and message in lines[0], (name, lines)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_extract_to_a_special_file_writes_into_it_not_over_it(tmp_path):
    """-o /dev/null or a named pipe: written in place; a rename would replace the device."""
    import stat
    import threading
    pipe = tmp_path / "out.fifo"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    page = tmp_path / "t.txt"
    page.write_text(DONGGUAN, "utf-8")
    result = cli("extract", str(page), "--extractors", "rules", "-o", str(pipe), timeout=120)
    reader.join(30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert [r["doc"] for r in jsonl(received[0])] == ["t"]

"""Issue 13 at test scale: the streamed build, the per-document cache (incremental
builds byte-identical to clean ones) and Dask (1 and 2 workers, local and tcp://,
give the same files). Speed and memory are measured in benchmarks/, not here."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "tests" / "data" / "web"
OUTPUTS = ("articles.jsonl", "entities.jsonl", "graph.json", "graph.ttl", "graph.nt", "graph.gexf",
           "graph.graphml", "graph.html", "INDEX.md")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "renda_kg.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def outputs(folder: Path) -> dict[str, bytes]:
    files = {name: (folder / name).read_bytes() for name in OUTPUTS}
    assert all(files.values())
    return files


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Six short web articles; builds copy them to ./corpus, since evidence records the path."""
    folder = tmp_path_factory.mktemp("corpus")
    for p in sorted(WEB.glob("0[1-6]*.txt")):
        shutil.copy(p, folder / p.name)
    return folder


@pytest.fixture(scope="module")
def clean_build(corpus, tmp_path_factory) -> dict[str, bytes]:
    work = tmp_path_factory.mktemp("clean")
    shutil.copytree(corpus, work / "corpus")
    done = run("build", "corpus", "-o", "out", "-q", "--no-cache", "--extractors", "rules", cwd=work)
    assert done.returncode == 0, done.stderr
    return outputs(work / "out")


def test_rebuild_after_one_file_changes_reextracts_only_that_file(corpus, clean_build, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(corpus, work / "corpus")
    args = ("build", "corpus", "-o", "out", "-q", "--cache", "cache", "--extractors", "rules")
    first = run(*args, cwd=work)
    assert first.returncode == 0, first.stderr
    assert "from the cache" not in first.stderr
    assert outputs(work / "out") == clean_build, "a build that fills the cache writes what a clean one does"

    changed = work / "corpus" / "04_hanting_notice.txt"
    changed.write_bytes(changed.read_bytes() + "\n临沂市人大常委会在平邑县建成代表联络站。\n".encode())
    second = run(*args, cwd=work)
    assert second.returncode == 0, second.stderr
    assert "(5 document(s) from the cache)" in second.stderr, second.stderr

    fresh = tmp_path / "fresh"
    shutil.copytree(work / "corpus", fresh / "corpus")
    clean = run("build", "corpus", "-o", "out", "-q", "--no-cache", "--extractors", "rules", cwd=fresh)
    assert clean.returncode == 0, clean.stderr
    assert outputs(work / "out") == outputs(fresh / "out"), "incremental and clean builds are byte-identical"
    assert outputs(work / "out")["entities.jsonl"] != clean_build["entities.jsonl"], "the change was seen"


def test_cache_is_keyed_by_the_extractor_settings_and_survives_damage(corpus, tmp_path):
    args = ("extract", str(corpus), "-q", "--cache", str(tmp_path / "cache"))
    rules = run(*args, "--extractors", "rules", "-o", "rules.jsonl", cwd=tmp_path)
    full = run(*args, "-o", "full.jsonl", cwd=tmp_path)
    assert rules.returncode == 0 and full.returncode == 0, rules.stderr + full.stderr
    assert (tmp_path / "rules.jsonl").read_bytes() != (tmp_path / "full.jsonl").read_bytes(), \
        "rules,ner was extracted, not read from the rules-only entries"
    entries = sorted((tmp_path / "cache").rglob("*.pickle.z"))
    assert len(entries) == 12, "one entry per document and extractor set"
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:40])             # every entry damaged
    again = run(*args, "--extractors", "rules", "-o", "again.jsonl", cwd=tmp_path)
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "rules.jsonl").read_bytes()


def test_process_files_streams_results_before_later_documents_are_read(corpus):
    """The runner hands each result on before it extracts the next, so a build holds one
    document's result at a time (the assembler and the JSONL writers take it from there)."""
    from renda_kg.corpus_runner import process_files
    events = []

    def stage(source):
        events.append(("extracted", source.doc_id))
        return source.doc_id

    for doc_id in process_files(sorted(corpus.glob("*.txt")), stage):
        events.append(("received", doc_id))
    assert events[:3] == [("extracted", "01_haiyan_liaison_stations"), ("received", "01_haiyan_liaison_stations"),
                          ("extracted", "02_qionglai_wechat")]


def test_dask_local_cluster_of_two_workers_writes_the_same_files(corpus, clean_build, tmp_path):
    shutil.copytree(corpus, tmp_path / "corpus")
    done = run("build", "corpus", "-o", "out", "-q", "--no-cache", "--extractors", "rules",
               "--scheduler", "local:2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("\n") == 1, f"one summary line, no Dask chatter: {done.stderr}"
    assert outputs(tmp_path / "out") == clean_build


def test_dask_scheduler_given_by_address(corpus, clean_build, tmp_path):
    from dask.distributed import LocalCluster
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        shutil.copytree(corpus, tmp_path / "corpus")
        done = run("build", "corpus", "-o", "out", "-q", "--no-cache", "--extractors", "rules",
                   "--scheduler", cluster.scheduler_address, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert outputs(tmp_path / "out") == clean_build


@pytest.mark.parametrize("args, code, message", [
    (("--scheduler", "yarn"), 2, "--scheduler takes local, local:N or tcp://HOST:PORT; got yarn"),
    (("--scheduler", "local:0"), 2, "the number of workers must be at least 1"),
    (("--scheduler", "local:2", "-j", "2"), 2, "choose --scheduler or -j, not both"),
    (("--scheduler", "tcp://127.0.0.1:9"), 1, "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
])
def test_scheduler_errors_are_one_line(corpus, tmp_path, args, code, message):
    done = run("build", str(corpus), "-o", "out", "-q", "--no-cache", *args, cwd=tmp_path)
    assert done.returncode == code
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert not (tmp_path / "out").exists()

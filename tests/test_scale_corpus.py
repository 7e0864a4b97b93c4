"""benchmarks/scale_corpus.py: the scale benchmark's corpus is reproducible, made only of
the real unlabelled articles, and moves places to a real branch of the tree whole."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load():
    spec = importlib.util.spec_from_file_location("scale_corpus", ROOT / "benchmarks" / "scale_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("scale_corpus", module)
    spec.loader.exec_module(module)
    return module


scale_corpus = _load()


@pytest.fixture(scope="module")
def gazetteer():
    from renda_kg.extractors.place_gazetteer import PlaceGazetteer
    return PlaceGazetteer.default()


@pytest.fixture(scope="module")
def corpus(gazetteer):
    return scale_corpus.ScaleCorpus(gazetteer)


def test_sources_are_the_seeds_and_the_unlabelled_corpus_never_the_gold():
    sources = scale_corpus.source_paths()
    expected = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "corpus").rglob("*.txt"))
    assert sources == expected and len(sources) > 100
    assert not any("tests" in p.relative_to(ROOT).parts for p in sources)


def test_same_n_and_seed_give_byte_identical_files_and_a_smaller_n_is_a_prefix(gazetteer, tmp_path):
    first = scale_corpus.write_corpus(tmp_path / "a", 12, seed=3, corpus=scale_corpus.ScaleCorpus(gazetteer))
    again = scale_corpus.write_corpus(tmp_path / "b", 12, seed=3, corpus=scale_corpus.ScaleCorpus(gazetteer))
    fewer = scale_corpus.write_corpus(tmp_path / "c", 5, seed=3, corpus=scale_corpus.ScaleCorpus(gazetteer))
    other = scale_corpus.write_corpus(tmp_path / "d", 12, seed=4, corpus=scale_corpus.ScaleCorpus(gazetteer))
    assert [p.name for p in first] == [p.name for p in again]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [(p.name, p.read_bytes()) for p in fewer] == [(p.name, p.read_bytes()) for p in first[:5]]
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]


def test_one_round_takes_every_source_once(corpus):
    n = len(corpus.sources)
    assert sorted(corpus.source_index(i, 0) for i in range(n)) == list(range(n))


def test_places_move_to_a_real_branch_of_the_same_shape(corpus, gazetteer):
    moved = 0
    for i in range(60):
        doc = corpus.document(i, seed=0)
        mapping = dict(doc.places)
        assert len(set(mapping.values())) == len(mapping), f"{doc.name}: two places became one"
        for src, tgt in mapping.items():
            s, t = gazetteer.node(src), gazetteer.node(tgt)
            assert s.level == t.level, f"{doc.name}: {s.name} ({s.level}) → {t.name} ({t.level})"
            if s.parent_id in mapping:
                assert t.parent_id == mapping[s.parent_id], f"{doc.name}: {t.name} left its parent's image"
            moved += src != tgt
        assert doc.text != corpus.texts[corpus.sources.index(ROOT / doc.source)] or not doc.places
    assert moved > 100


def test_a_made_up_article_keeps_its_places_nested_and_its_people_their_surnames(gazetteer, tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "x.txt").write_text(
        "■ 王小明(山东)\n山东省临 沂市兰山区人大常委会主任吴明哲、委员李茂凯到枣园镇调研。\n"
        "临沂市人大常委会副主任张立新表示,吴明哲将继续推进。\n", "utf-8")
    made = scale_corpus.ScaleCorpus(gazetteer, root=tmp_path)
    doc = made.document(0, seed=1)
    mapping = dict(doc.places)
    province, city, county = (gazetteer.node(mapping[k]) for k in ("370000", "371300", "371302"))
    town = gazetteer.node(mapping["371302/枣园镇"])
    assert (city.parent_id, county.parent_id, town.parent_id) == (province.node_id, city.node_id, county.node_id)
    lines = doc.text.splitlines()
    assert lines[0] == f"■ 王小明({made.short_form(province) or province.name})"
    persons = dict(doc.persons)
    assert set(persons) == {"吴明哲", "李茂凯", "张立新"}
    assert all(new[0] == old[0] and new != old for old, new in persons.items())
    assert lines[1] == (f"{province.name}{city.name}{county.name}人大常委会主任{persons['吴明哲']}、"
                        f"委员{persons['李茂凯']}到{town.name}调研。")
    assert lines[2] == (f"{city.name}人大常委会副主任{persons['张立新']}表示,{persons['吴明哲']}将继续推进。")


def test_bad_arguments_are_one_line_and_exit_2(tmp_path, capsys):
    assert scale_corpus.main(["0", str(tmp_path)]) == 2
    (tmp_path / "file").write_text("x")
    assert scale_corpus.main(["3", str(tmp_path / "file")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("scale_corpus: ") for line in err)

"""The spaCy pipeline: one call to load, entities with canonical names and offsets."""
import pytest

import renda_kg


@pytest.fixture(scope="module")
def nlp():
    return renda_kg.load()


def test_pipeline_is_blank_zh_with_registered_components(nlp):
    assert nlp.lang == "zh"
    assert nlp.pipe_names == ["renda_places", "renda_rules", "renda_context"]


def test_entities_carry_type_canonical_name_and_offsets(nlp):
    text = "山东省临沂市人大常委会组建产业代表小组，市人大常委会推出“一乡一品”工作机制。"
    doc = nlp(text)
    ents = [(e.label_, e._.canonical, text[e.start_char:e.end_char]) for e in doc.ents]
    assert ("CongressBody", "临沂市人大常委会", "山东省临沂市人大常委会") in ents
    # the abbreviation resolves from the text's own context
    assert ("CongressBody", "临沂市人大常委会", "市人大常委会") in ents
    assert ("Programme", "一乡一品", "“一乡一品”工作机制") in ents
    places = {s._.canonical for s in doc.spans["renda"] if s.label_ == "Place"}
    assert {"山东省", "临沂市"} <= places


def test_tokens_respect_institution_words(nlp):
    tokens = [t.text for t in nlp.make_doc("平邑县人大常委会建成人大代表联络站")]
    assert "人大常委会" in tokens and "人大代表联络站" in tokens

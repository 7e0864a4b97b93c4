"""The spaCy pipeline is the one extraction: `renda_kg.load()` gives what the CLI writes."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import renda_kg
from renda_kg.extractors.input_reader import read_document
from renda_kg.extractors.rules import DEFAULT_ORDER
from renda_kg.extractors.spacy_pipeline import run_pipeline
from renda_kg.graph.export.extraction_jsonl import generate_extraction_jsonl

ROOT = Path(__file__).resolve().parents[2]
#: The held-out page: the NER candidates find a person there that the rules miss.
PAGE = ROOT / "seeds" / "004_e0eeec07091cc154.txt"
COMPONENTS = ["renda_segment", "renda_places", "renda_rules", "renda_ner", "renda_context", "renda_merge",
              "renda_relations", "renda_statistics"]


@pytest.fixture(scope="module")
def nlp():
    return renda_kg.load()


def cli_extract(tmp_path: Path, *options: str) -> dict:
    """The record `renda-kg extract` writes for PAGE."""
    out = tmp_path / "extract.jsonl"
    subprocess.run([sys.executable, "-m", "renda_kg.cli", "extract", str(PAGE), "-o", str(out), "-q", *options],
                   check=True, cwd=ROOT)
    (line,) = out.read_text("utf-8").splitlines()
    return json.loads(line)


def pipeline_record(doc) -> dict:
    (line,) = generate_extraction_jsonl([doc._.result])
    return json.loads(line)


@pytest.fixture(scope="module")
def cli_records(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    (tmp / "default").mkdir()
    (tmp / "rules").mkdir()
    return {"default": cli_extract(tmp / "default"), "rules": cli_extract(tmp / "rules", "--extractors", "rules")}


def test_components_and_settings_live_in_the_config(nlp):
    assert nlp.lang == "zh"
    assert nlp.pipe_names == COMPONENTS
    assert nlp.config["nlp"]["pipeline"] == COMPONENTS
    components = nlp.config["components"]
    assert [components[name]["factory"] for name in COMPONENTS] == COMPONENTS
    assert components["renda_places"]["gazetteer"] == "default"
    assert components["renda_rules"]["families"] == list(DEFAULT_ORDER)
    assert components["renda_ner"]["tagger"] == "lac"
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"


def test_load_on_a_seed_page_gives_exactly_the_cli_record(nlp, cli_records):
    doc = run_pipeline(nlp, read_document(PAGE))
    record = pipeline_record(doc)
    assert record["entities"] == cli_records["default"]["entities"]
    assert record == cli_records["default"]


def test_leaving_out_the_ner_component_is_extractors_rules(nlp, cli_records):
    rules_only = renda_kg.load(extractors=("rules",))
    assert "renda_ner" not in rules_only.pipe_names
    assert pipeline_record(run_pipeline(rules_only, read_document(PAGE))) == cli_records["rules"]
    with nlp.select_pipes(disable="renda_ner"):
        assert pipeline_record(run_pipeline(nlp, read_document(PAGE))) == cli_records["rules"]
    # the page is one where it matters
    assert cli_records["rules"]["entities"] != cli_records["default"]["entities"]


def test_spans_are_the_evidence_in_raw_offsets(nlp):
    source = read_document(PAGE)
    doc = run_pipeline(nlp, source)
    assert doc.text == source.raw
    evidence = {(ev.start, ev.end, e.type, e.name, ev.extractor)
                for e in doc._.entities for ev in e.evidence if ev.end > ev.start}
    spans = {(s.start_char, s.end_char, s.label_, s._.canonical, s._.extractor) for s in doc.spans["renda"]}
    assert spans == evidence
    assert doc.ents and all(e.label_ != "Article" for e in doc.ents)


def test_a_plain_string_is_one_text_without_a_file(nlp):
    text = "产业代表小组进村入户\n山东省临沂市人大常委会组建蜜桃产业代表小组，市人大常委会推出“一乡一品”工作机制。"
    doc = nlp(text)
    assert (doc._.source.doc_id, doc._.source.path) == ("text", "<text>")
    ents = [(e.label_, e._.canonical, text[e.start_char:e.end_char]) for e in doc.ents]
    assert ("CongressBody", "临沂市人大常委会", "山东省临沂市人大常委会") in ents
    # the abbreviation resolves from the text's own context
    assert ("CongressBody", "临沂市人大常委会", "市人大常委会") in ents
    assert ("Programme", "一乡一品", "“一乡一品”工作机制") in ents
    places = {s._.canonical for s in doc.spans["renda"] if s.label_ == "Place"}
    assert {"山东省", "临沂市"} <= places


def test_word_tokens_respect_institution_words():
    nlp = renda_kg.load(extractors=("rules",), segmenter="jieba")
    tokens = [t.text for t in nlp.make_doc("平邑县人大常委会建成人大代表联络站")]
    assert "人大常委会" in tokens and "人大代表联络站" in tokens

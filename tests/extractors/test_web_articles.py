"""Single articles saved from congress websites and WeChat accounts (tests/data/web).

Each file is one article: a headline, a publication line ("发布时间:… 来源:…",
WeChat's "原创 邛崃人大 2024年06月03日 18:30 四川", "作者:", "编辑:", "阅读:"), no
byline, then the text. The files cover simplified and traditional characters,
UTF-8 and GB18030 with CRLF line ends, full-width spaces and blank lines between
paragraphs, and a three-sentence notice. The expectations below are what an
annotator following SCHEMA.md lists, written by hand from the texts.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from renda_kg.extractors.input_reader import read_document
from renda_kg.extractors.records import Entity, SourceDocument
from renda_kg.extractors.text_normaliser import to_simplified
from renda_kg.cli import main
from renda_kg.graph.pipeline import extract_document
from renda_kg.evaluation import NameNormaliser

WEB = Path(__file__).resolve().parents[1] / "data" / "web"
_norm = NameNormaliser()


@dataclass(frozen=True)
class Expected:
    file: str
    encoding: str
    headline: str
    published: Optional[str]
    source: Optional[str]
    entities: tuple[tuple[str, str], ...]      # (type, canonical name)
    meta_lines: tuple[int, ...]                # raw line numbers of publication/credit lines
    authors: tuple[str, ...] = ()
    count: Optional[tuple[int, str]] = None    # a statistic and the body it describes
    body_sentences: Optional[int] = None


HAIYAN = (("Place", "海盐县"), ("Place", "武原街道"), ("CongressBody", "海盐县人大常委会"),
          ("LiaisonStation", "武原街道人大代表联络站"), ("Programme", "三访三议"), ("Person", "张海峰"),
          ("Document", "嘉兴市农村生活垃圾分类管理条例"), ("Article", "海盐县人大常委会推动代表联络站提质增效"))

CASES = [
    Expected("01_haiyan_liaison_stations.txt", "utf-8", "海盐县人大常委会推动代表联络站提质增效",
             "2024-05-12 09:30", "海盐人大", HAIYAN, meta_lines=(1,), count=(56, "海盐县人大常委会")),
    Expected("02_qionglai_wechat.txt", "utf-8", "“三单一评”让代表履职更有实感",
             "2024年06月03日 18:30", "邛崃人大",
             (("Place", "邛崃市"), ("Place", "平乐镇"), ("Place", "四川省"),
              ("CongressBody", "邛崃市人大常委会"), ("LiaisonStation", "平乐镇人大代表联络站"),
              ("Programme", "三单一评"), ("Person", "王晓琴"),
              ("Document", "四川省各级人民代表大会常务委员会监督条例")),
             meta_lines=(1, -2, -1), count=(56, "邛崃市人大常委会")),
    Expected("03_yangshuo_gb18030.txt", "gb18030", "阳朔县人大常委会以“板凳议事”工作法推动民生实事落地",
             "2024年4月18日", "阳朔县人大常委会办公室",
             (("Place", "阳朔县"), ("CongressBody", "阳朔县人大常委会"), ("CongressBody", "白沙镇人大主席团"),
              ("LiaisonStation", "遇龙村人大代表联络站"), ("Programme", "板凳议事"), ("Person", "黄春燕"),
              ("Person", "莫丽华"), ("Document", "桂林市乡村风貌保护条例")),
             meta_lines=(1,), authors=("莫丽华",), count=(38, "阳朔县人大常委会")),
    Expected("04_hanting_notice.txt", "utf-8", "寒亭区人大常委会关于开展代表集中接待选民活动的公告",
             "2024-06-03", "寒亭人大",
             (("Place", "寒亭区"), ("Place", "开元街道"), ("CongressBody", "寒亭区人大常委会"),
              ("LiaisonStation", "开元街道人大代表联络站"), ("Person", "刘玉峰"),
              ("Document", "山东省物业管理条例")),
             meta_lines=(1,), body_sentences=3),
    Expected("05_guangshan_website.txt", "utf-8", "光山县：“一线议事”工作法让代表履职接地气",
             "2024-03-28 16:05:12", "光山县人大常委会",
             (("Place", "光山县"), ("Place", "十里镇"), ("CongressBody", "光山县人大常委会"),
              ("CongressBody", "十里镇人大主席团"), ("LiaisonStation", "十里镇人大代表联络站"),
              ("Programme", "一线议事"), ("Person", "陈红梅"), ("Document", "信阳市茶产业发展促进条例")),
             meta_lines=(1, 2, 3, 4), count=(56, "光山县人大常委会")),
    Expected("06_binchuan_fullwidth.txt", "utf-8", "宾川县设立柑橘产业人大代表联络站服务果农增收",
             "2024-08-20", "大理州人大",
             (("Place", "宾川县"), ("Place", "金牛镇"), ("CongressBody", "宾川县人大常委会"),
              ("LiaisonStation", "金牛镇柑橘产业人大代表联络站"), ("Programme", "果园课堂"),
              ("Person", "杨国华"), ("Document", "大理白族自治州宾川县水资源保护条例"),
              ("Industry", "柑橘产业")),
             meta_lines=(1,), count=(56, "宾川县人大常委会")),
    Expected("07_haiyan_liaison_stations_traditional.txt", "utf-8", "海盐县人大常委会推动代表联络站提质增效",
             "2024-05-12 09:30", "海盐人大", HAIYAN, meta_lines=(1,), count=(56, "海盐县人大常委会")),
]
BY_FILE = {c.file: c for c in CASES}


@pytest.fixture(scope="module")
def extracted() -> dict:
    out = {}
    for c in CASES:
        src = read_document(WEB / c.file)
        out[c.file] = (src, *extract_document(src))
    return out


def _line_spans(raw: str) -> list[tuple[int, int]]:
    """(start, end) of every line of the raw file, line ends excluded."""
    spans = [(m.start(), m.start() + len(m.group().rstrip("\r\n")))
             for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", raw) if m.group()]
    return [(s, e) for s, e in spans if raw[s:e].strip()]


def _meta_spans(raw: str, c: Expected) -> list[tuple[int, int]]:
    lines = _line_spans(raw)
    return [lines[k] for k in c.meta_lines]


def _printed(raw: str) -> str:
    """Raw text as the normalised text spells it: t2s, NFKC, no white space."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", to_simplified(raw)))


def _matches(entity: Entity, type_: str, name: str) -> bool:
    """SCHEMA scoring: same type, and the name equals the entity's name or an alias."""
    return entity.type == type_ and _norm(name) in {_norm(n) for n in entity.names}


ids = [c.file[:2] for c in CASES]


def test_every_file_is_covered():
    assert sorted(p.name for p in WEB.glob("*.txt")) == sorted(BY_FILE)


@pytest.mark.parametrize("c", CASES, ids=ids)
def test_one_article_with_headline_and_publication_line(c, extracted):
    src, doc, _ = extracted[c.file]
    assert src.encoding == c.encoding
    assert len(doc.articles) == 1
    # the publication and credit lines are the page's text (kind "meta"), read for
    # editors and sources without deciding the article's context
    assert all(s.kind == "meta" for s in doc.preamble)
    a = doc.articles[0]
    assert a.headline == unicodedata.normalize("NFKC", c.headline)
    assert (a.published, a.source) == (c.published, c.source)
    assert tuple(au.name for au in a.authors) == c.authors
    kinds = [s.kind for s in a.sentences]
    assert kinds[0] == "headline" and set(kinds[1:]) == {"body"}, kinds
    if c.body_sentences is not None:
        assert kinds.count("body") == c.body_sentences


@pytest.mark.parametrize("c", CASES, ids=ids)
def test_sentences_slice_the_raw_file_and_skip_publication_lines(c, extracted):
    src, doc, _ = extracted[c.file]
    meta = _meta_spans(src.raw, c)
    for s in doc.articles[0].sentences:
        piece = src.raw[s.raw_start:s.raw_end]
        assert piece == piece.strip(), (s.text, piece)         # no CR, no full-width indent
        assert _printed(piece) == re.sub(r"\s", "", s.text)
        assert not any(s.raw_start < e and lo < s.raw_end for lo, e in meta), s.text


#: The names publication lines credit (editors are persons; CONVENTIONS.md) and the
#: outlets they name as the source (来源, a WeChat header's account).
CREDITED = {"01": {"徐佳"}, "02": {"杨柳", "陈刚"}, "07": {"徐佳"}}   # 02: its 编辑:/审核: lines
SOURCES = {"01": {"海盐人大"}, "02": {"邛崃人大"}, "04": {"寒亭人大"}, "06": {"大理州人大"}, "07": {"海盐人大"}}


@pytest.mark.parametrize("c", CASES, ids=ids)
def test_publication_lines_yield_credited_people_and_sources(c, extracted):
    src, doc, result = extracted[c.file]
    meta = _meta_spans(src.raw, c)
    from_meta = {(e.type, e.name) for e in result.entities for ev in e.evidence
                 if any(lo <= ev.start < hi for lo, hi in meta)}
    assert {n for t, n in from_meta if t == "Person"} == CREDITED.get(c.file[:2], set())
    assert {n for t, n in from_meta if t == "Media"} == SOURCES.get(c.file[:2], set())
    assert not any(t == "Article" for t, _ in from_meta)
    # the credit's office is nobody
    names = {e.name for e in result.entities if e.type == "Person"}
    assert "县人大办" not in names


@pytest.mark.parametrize("c", CASES, ids=ids)
def test_evidence_offsets_slice_the_printed_mention(c, extracted):
    """raw[start:end] is the mention as printed: with spaces removed, simplified and
    without quotes it is the entity's name or one of its aliases, and it is part of
    the evidence sentence."""
    src, doc, result = extracted[c.file]
    article_id = doc.articles[0].article_id
    assert result.entities
    for e in result.entities:
        names = {_norm(n) for n in e.names}
        assert e.evidence, e.name
        for ev in e.evidence:
            piece = src.raw[ev.start:ev.end]
            assert piece and piece == piece.strip(), (e.name, piece)
            assert _norm(piece) in names, (e.type, e.name, piece)
            assert _norm(piece) in _norm(ev.sentence), (e.name, piece, ev.sentence)
            # a publication line is the page's text, not the article's
            in_meta = any(lo <= ev.start < hi for lo, hi in _meta_spans(src.raw, c))
            assert ev.article == (None if in_meta else article_id), (e.name, piece)


@pytest.mark.parametrize("c", CASES, ids=ids)
def test_expected_entities_are_found(c, extracted):
    _, _, result = extracted[c.file]
    missing = [(t, n) for t, n in c.entities if not any(_matches(e, t, n) for e in result.entities)]
    assert not missing, missing


@pytest.mark.parametrize("c", [c for c in CASES if c.count], ids=[c.file[:2] for c in CASES if c.count])
def test_station_count_is_a_statistic_of_the_body_not_an_entity(c, extracted):
    _, _, result = extracted[c.file]
    value, body = c.count
    names = result.names()
    assert any(o.value == value and "联络站" in o.measure and names[o.entity] == body
               for o in result.observations), result.observations
    assert not [e.name for e in result.entities if re.search(r"\d", e.name)]


def _signature(result) -> tuple:
    entities = sorted((e.type, e.name, tuple(sorted(e.aliases)), e.kind or e.level) for e in result.entities)
    relations = sorted((r["head"], r["relation"], r["tail"]) for r in result.to_dict()["relations"])
    return entities, relations


def test_traditional_version_gives_the_same_entities(extracted):
    simp = extracted["01_haiyan_liaison_stations.txt"]
    trad = extracted["07_haiyan_liaison_stations_traditional.txt"]
    assert trad[0].raw != simp[0].raw and "縣人大常委會" in trad[0].raw
    assert _signature(trad[2]) == _signature(simp[2])
    assert [s.text.replace("「", "“").replace("」", "”") for s in trad[1].articles[0].sentences] == \
        [s.text for s in simp[1].articles[0].sentences]


def test_gb18030_crlf_file_gives_the_same_entities_as_a_utf8_lf_copy(extracted, tmp_path):
    src, _, crlf = extracted["03_yangshuo_gb18030.txt"]
    assert "\r\n" in src.raw
    copy = tmp_path / "03_yangshuo_gb18030.txt"
    copy.write_bytes(src.raw.replace("\r\n", "\n").encode("utf-8"))
    lf_src = read_document(copy)
    assert lf_src.encoding == "utf-8" and "\r" not in lf_src.raw
    _, lf = extract_document(lf_src)
    assert _signature(crlf) == _signature(lf)
    # the same mentions, each shifted by the CRs before it
    crlf_ev = [ev for e in crlf.entities for ev in e.evidence]
    lf_ev = [ev for e in lf.entities for ev in e.evidence]
    assert len(crlf_ev) == len(lf_ev)
    for a, b in zip(crlf_ev, lf_ev):
        shift = src.raw.count("\r", 0, a.start)
        assert (a.start - shift, a.end - shift) == (b.start, b.end)
        assert src.raw[a.start:a.end] == lf_src.raw[b.start:b.end]


def test_publication_line_variants():
    """Fields in any order and separator, full-width colons, and lines that only look like them."""
    from renda_kg.extractors.article_segmenter import segment

    def article(meta: str, body: str = "邛崃市人大常委会召开代表座谈会。会议听取了意见建议。"):
        text = f"邛崃市人大常委会召开代表座谈会\n{meta}\n{body}\n"
        return segment(SourceDocument("web", "web.txt", text, "utf-8")).articles[0]

    a = article("来源：邛崃人大 | 发布日期：2024年5月12日 星期日 | 浏览次数：10万+")
    assert (a.published, a.source) == ("2024年5月12日 星期日", "邛崃人大")   # a credit line keeps its spaces
    assert [s.kind for s in a.sentences] == ["headline", "body", "body"]
    a = article("原创 杨柳 邛崃人大 2024-06-03 18:30 四川")
    assert (a.published, a.source, [x.name for x in a.authors]) == ("2024-06-03 18:30", "邛崃人大", ["杨柳"])
    # an event's time in a notice is text, not the publication date
    a = article("时间：2024年6月15日上午9时，地点：邛崃市人大常委会二楼会议室。")
    assert a.published is None and a.sentences[1].text.startswith("时间:2024年6月15日上午9时")
    a = article("阅读是一种习惯，来源于生活。")
    assert a.published is None and a.source is None and len(a.sentences) == 4


def test_cli_build_writes_entities_for_every_file(tmp_path):
    out = tmp_path / "out"
    assert main(["build", str(WEB), "-o", str(out), "-q"]) == 0
    records = [json.loads(line) for line in (out / "entities.jsonl").read_text("utf-8").splitlines()]
    assert sorted(r["doc"] for r in records) == sorted(Path(c.file).stem for c in CASES)
    assert all(len(r["entities"]) >= 5 for r in records)
    articles = {r["doc"]: r for r in map(json.loads, (out / "articles.jsonl").read_text("utf-8").splitlines())}
    assert articles["03_yangshuo_gb18030"]["encoding"] == "gb18030"
    assert all(len(r["articles"]) == 1 for r in articles.values())


# ---------------------------------------------------------------------------
# Entity and relation extraction bugs these inputs show (not in the text stages)


def test_generic_townships_are_no_place(extracted):
    _, _, result = extracted["05_guangshan_website.txt"]
    assert not [e for e in result.entities if e.type == "Place" and e.name == "各乡镇"]


def test_station_name_keeps_its_place_prefix(extracted):
    _, _, result = extracted["06_binchuan_fullwidth.txt"]
    stations = [e.name for e in result.entities if e.type == "LiaisonStation"]
    assert stations == ["金牛镇柑橘产业人大代表联络站"]


def test_programme_created_by_the_body_the_text_names(extracted):
    _, _, result = extracted["05_guangshan_website.txt"]
    names = result.names()
    created = {names[r.tail] for r in result.relations if names[r.head] == "一线议事" and r.relation == "createdBy"}
    assert created == {"十里镇人大主席团"}

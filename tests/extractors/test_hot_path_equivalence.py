"""The hot path's faster forms give what the plain ones gave: jieba's words computed
without jieba's generators, a document's local place names built from the
per-town store rather than from fresh village nodes, and a line's NFKC in one
translation."""
import pytest

from renda_kg.extractors.place_gazetteer import PlaceGazetteer, _suffix_variants, town_stem
from renda_kg.extractors.rules.text_helpers import _jieba, jieba_words, tokens
from renda_kg.extractors.text_normaliser import _nfkc, _nfkc_line

TEXTS = [
    "",
    "县人大常委会主任王立新到平邑县地方镇调研人大代表联络站建设工作。",
    "2023年12月1日,第十四届全国人大常委会第7次会议在北京召开",
    "ABC公司与abc123、C++和3.5%的GDP增长 \t两行\r\n第二行\n",
    "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》",
    "a b  c1 2x・○〇乂丶龘靐",
    "全国人民代表大会常务委员会法制工作委员会研究室副主任",
]


@pytest.mark.parametrize("text", TEXTS)
def test_jieba_words_are_jiebas_own(text):
    module, _ = _jieba()
    assert jieba_words(module, text) == module.lcut(text, HMM=False)


def test_jieba_words_follow_the_dictionary_they_are_given(monkeypatch):
    """The faster cut reads jieba's current frequencies: a word jieba learns changes both."""
    module, _ = _jieba()
    text = "龘靐齉是新词"
    monkeypatch.setattr(module.dt, "FREQ", dict(module.dt.FREQ))
    monkeypatch.setattr(module.dt, "total", module.dt.total)
    module.dt.add_word("龘靐齉", freq=1_000_000)
    assert jieba_words(module, text) == module.lcut(text, HMM=False)
    assert jieba_words(module, text)[0] == "龘靐齉"


def test_tokens_offsets_cover_the_text():
    text = TEXTS[1]
    assert "".join(w for _, _, w, _ in tokens(text)) == text
    assert all(text[s:e] == w for s, e, w, _ in tokens(text))


@pytest.fixture(scope="module")
def gaz():
    return PlaceGazetteer.default()


def _local_names_from_nodes(gaz, anchors):
    """`local_names` as it was written before the per-town store: from `children`."""
    names: dict[str, list[str]] = {}

    def add(name, node_id):
        ids = names.setdefault(name, [])
        if node_id not in ids:
            ids.append(node_id)

    towns = []
    for a in anchors:
        node = gaz._nodes.get(a)
        if node is None or node.level not in ("city", "county", "town"):
            continue
        towns += [c for c in gaz.children(a) if c.level == "town"] if node.level != "town" else [node]
    for t in towns:
        add(t.name, t.node_id)
        if town_stem(t.name):
            add(town_stem(t.name), t.node_id)
        for v in gaz.children(t.node_id):
            if len(v.name) >= 3:
                add(v.name, v.node_id)
    for t in towns:
        for variant in _suffix_variants(t.name):
            names.setdefault(variant, [t.node_id])
    return names


def test_local_names_equal_those_built_from_the_nodes(gaz):
    (kaihua,) = gaz.by_name("开化县")
    (pingyi,) = gaz.by_name("平邑县")
    (dongguan,) = [n for n in gaz.by_name("东莞市") if n.level == "city"]
    town = gaz.children(pingyi.node_id)[0]
    for anchors in ([kaihua.node_id], [pingyi.node_id, kaihua.node_id, town.node_id],
                    [dongguan.node_id, "not-a-node", town.node_id + "/x"], [town.node_id, pingyi.node_id]):
        expected = _local_names_from_nodes(gaz, anchors)
        first = gaz.local_names(anchors)
        assert first == expected and list(first) == list(expected)
        assert gaz.local_names(anchors) == expected          # again, from the store
    assert len(_local_names_from_nodes(gaz, [dongguan.node_id])) > 20


@pytest.mark.parametrize("line", ["", "县人大常委会", "ＡＢＣ１２３　全角", "㍿と㈱ ﬁle ⅻ", "⻄部\u3000地区\t⺠生", "e\u0301 ﬃ㍻年"])
def test_line_nfkc_keeps_a_position_for_every_character(line):
    """A character NFKC makes several ("㍿" → "株式会社") keeps its raw position in each."""
    pairs = [(c, 10 + k) for k, c in enumerate(line)]
    want = [(out, p) for c, p in pairs for out in _nfkc(c)]
    text, positions = _nfkc_line(pairs)
    assert list(zip(text, positions)) == want and len(text) == len(positions)
    assert _nfkc_line(pairs) == (text, positions)            # again, from the table

"""Split a normalised page into articles: headline, bylines, sections, sentences.

Newspaper pages anchor each article on its byline ("■ 徐希友(山东)"); the
headline is the heading block just above it. Pages without bylines (a single
article saved from a congress website or a WeChat account, with a headline line
and a "发布时间/来源" line) become one article. All offsets come from the
normaliser's map, so they point into the original file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .records import Article, Author, NormalisedText, SegmentedDocument, Sentence, SourceDocument
from .text_normaliser import looks_like_heading, normalise

_NAME = r"[\u4e00-\u9fff·]{2,5}"
BYLINE = re.compile(
    rf"^[■□◆●▲]\s*(?P<names>{_NAME}(?:[\s、,,]+{_NAME})*)\s*"
    r"(?:[((]\s*(?P<province>[\u4e00-\u9fff]{2,8})\s*[))])?$")
CREDIT = re.compile(
    rf"^(?:文|文/图|作者|撰文|记者|通讯员|供稿)\s*[/::|]\s*(?P<names>{_NAME}(?:[\s、,,]+{_NAME})*)\s*$")
POSITION = re.compile(r"^[((]\s*作者(?:系|为|是)(?P<position>[^()()]+)[))]?$")
REPORTING_BODY = re.compile(
    r"^(?P<body>[\u4e00-\u9fff]{2,20}(?:人大常委会|人大主席团|人大工委|人大|代表工委|委员会))\s*[::]$")
EDITOR_NOTE = re.compile(r"^(编者按|编者的话|导读)\s*[::]")
PUBLISHED = re.compile(r"(?:发布时间|发布日期|时间|日期)\s*[::]\s*(?P<value>[0-9０-９][0-9０-９年月日./\-: ]*[0-9日])")
SOURCE = re.compile(r"来源\s*[::]\s*(?P<value>[^\s|]+)")
_TERMINAL = set("。!?!?…")
_CLOSERS = set("”’\"')」』》")


@dataclass
class _Block:
    """A non-empty line of the normalised text, classified."""

    start: int
    end: int
    text: str
    role: str = "paragraph"      # byline, position, reporting, meta, note, heading, paragraph
    data: dict = field(default_factory=dict)


def _blocks(norm: NormalisedText) -> list[_Block]:
    blocks: list[_Block] = []
    pos = 0
    for line in norm.text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            blocks.append(_Block(pos + lead, pos + len(line.rstrip()), line.strip()))
        pos += len(line) + 1
    _merge_split_positions(blocks)
    for b in blocks:
        _classify(b)
    return [b for b in blocks if b.role != "merged"]


def _merge_split_positions(blocks: list[_Block]) -> None:
    """Join "(作者系…人大常委会" with a following "主任)" that a column break cut off."""
    for i, b in enumerate(blocks):
        if b.role == "merged" or not re.match(r"^[((]\s*作者", b.text) or re.search(r"[))]$", b.text):
            continue
        for nxt in blocks[i + 1:i + 3]:
            if not re.fullmatch(r"[\u4e00-\u9fff]{1,12}[))]?", nxt.text):
                break
            b.text += nxt.text
            b.end = nxt.end
            nxt.role = "merged"
            if re.search(r"[))]$", nxt.text):
                break


def _split_names(names: str) -> tuple[str, ...]:
    return tuple(n for n in re.split(r"[\s、,,]+", names) if n)


def _classify(b: _Block) -> None:
    if b.role == "merged":
        return
    t = b.text
    if m := (BYLINE.match(t) or CREDIT.match(t)):
        b.role = "byline"
        b.data = {"names": _split_names(m.group("names")),
                  "province": m.groupdict().get("province")}
    elif m := POSITION.match(t):
        b.role, b.data = "position", {"position": m.group("position").strip()}
    elif m := REPORTING_BODY.match(t):
        b.role, b.data = "reporting", {"body": m.group("body")}
    elif EDITOR_NOTE.match(t):
        b.role = "note"
    elif len(t) <= 80 and (PUBLISHED.search(t) or SOURCE.match(t)):
        b.role = "meta"
        b.data = {"published": (m.group("value").strip() if (m := PUBLISHED.search(t)) else None),
                  "source": (m.group("value") if (m := SOURCE.search(t)) else None)}
    elif looks_like_heading(t):
        b.role = "heading"


@dataclass
class _Draft:
    header: list[int]                      # block indices of reporting body / headline(s)
    byline: int | None
    body: list[int] = field(default_factory=list)


def _drafts(blocks: list[_Block]) -> tuple[list[int], list[_Draft]]:
    """Anchor articles on bylines; without any, the whole text is one article."""
    anchors = [i for i, b in enumerate(blocks) if b.role == "byline"]
    if not anchors:
        first = next((i for i, b in enumerate(blocks) if b.role in ("heading", "paragraph")), None)
        if first is None:
            return list(range(len(blocks))), []
        return list(range(first)), [_Draft([first], None, list(range(first + 1, len(blocks))))]
    drafts: list[_Draft] = []
    floor = 0
    for a in anchors:
        header: list[int] = []
        i = a - 1
        while i >= floor and blocks[i].role == "heading" and len(header) < 2:
            header.insert(0, i)
            i -= 1
        if i >= floor and blocks[i].role == "reporting":
            header.insert(0, i)
        drafts.append(_Draft(header, a))
        floor = a + 1
    starts = [d.header[0] if d.header else d.byline for d in drafts] + [len(blocks)]
    for d, nxt in zip(drafts, starts[1:]):
        d.body = list(range(d.byline + 1, nxt))
    preamble = list(range(starts[0]))
    _reclaim_text_above_header(blocks, drafts)
    return preamble, drafts


def _place_key(body: str) -> str:
    return re.sub(r"(人大常委会|人大主席团|人大工委|人大|代表工委|委员会)$", "", body)


def _reclaim_text_above_header(blocks: list[_Block], drafts: list[_Draft]) -> None:
    """An article whose text was printed above its header (page 004) takes it back.

    It happens when an article with a reporting body has no paragraph after its
    byline: the trailing paragraphs of the previous article that name its body
    (after the last one naming the previous article's body) are its text.
    """
    for prev, cur in zip(drafts, drafts[1:]):
        if any(blocks[i].role == "paragraph" for i in cur.body):
            continue
        reporting = [blocks[i].data["body"] for i in cur.header if blocks[i].role == "reporting"]
        if not reporting:
            continue
        key = _place_key(reporting[0])
        prev_rep = [blocks[i].data["body"] for i in prev.header if blocks[i].role == "reporting"]
        prev_key = _place_key(prev_rep[0]) if prev_rep else None
        paras = [i for i in prev.body if blocks[i].role == "paragraph"]
        last_prev = max((i for i in paras if prev_key and prev_key in blocks[i].text), default=-1)
        first_cur = next((i for i in paras if i > last_prev and key in blocks[i].text), None)
        if first_cur is None:
            continue
        moved = [i for i in prev.body if i >= first_cur]
        prev.body = [i for i in prev.body if i < first_cur]
        cur.body = moved + cur.body


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split at 。!? (with any closing quotes), never inside a pair of brackets."""
    spans, start, i, depth = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        depth += ch in "((《" and 1 or 0
        depth -= ch in "))》" and depth > 0 and 1 or 0
        if ch in _TERMINAL and depth == 0:
            j = i + 1
            while j < len(text) and (text[j] in _CLOSERS or text[j] in _TERMINAL):
                j += 1
            spans.append((start, j))
            start, i = j, j
            continue
        i += 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class _UnitMaker:
    """Builds Sentence records (offsets, raw offsets, clean text) from block ranges."""

    def __init__(self, norm: NormalisedText):
        self.norm = norm

    def unit(self, start: int, end: int, kind: str) -> Sentence:
        text = self.norm.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        raw_start, raw_end = self.norm.to_raw(start, end)
        clean = re.sub(r"\s*\n\s*", "", text[start:end])
        return Sentence(clean, start, end, raw_start, raw_end, kind)

    def body(self, blocks: list[_Block]) -> list[Sentence]:
        """Sentences of consecutive paragraphs; a paragraph that stops mid-sentence
        (column break) continues in the next one."""
        out: list[Sentence] = []
        run: list[_Block] = []

        def flush() -> None:
            if not run:
                return
            lo, hi = run[0].start, run[-1].end
            for s, e in _sentence_spans(self.norm.text[lo:hi]):
                if self.norm.text[lo + s:lo + e].strip():
                    out.append(self.unit(lo + s, lo + e, "body"))
            run.clear()

        for b in blocks:
            if b.role != "paragraph":
                flush()
                if b.role in ("heading", "reporting", "note"):
                    out.append(self.unit(b.start, b.end, "heading"))
                continue
            if run and run[-1].text[-1] in _TERMINAL | _CLOSERS:
                flush()
            run.append(b)
        flush()
        return out


def segment(source: SourceDocument) -> SegmentedDocument:
    """Normalise and segment one decoded file."""
    norm = normalise(source.raw)
    blocks = _blocks(norm)
    preamble_idx, drafts = _drafts(blocks)
    maker = _UnitMaker(norm)
    articles = []
    for n, d in enumerate(drafts):
        header = [blocks[i] for i in d.header]
        body = [blocks[i] for i in d.body]
        heads = [b for b in header if b.role != "reporting"]
        if not heads:  # headline printed after the byline, or missing: first heading below
            first = next((b for b in body if b.role == "heading"), None)
            heads = [first] if first else []
            body = [b for b in body if b is not first]
        units = [maker.unit(b.start, b.end, "headline" if k == 0 else "subheadline")
                 for k, b in enumerate(heads)]
        meta = {k: v for b in body if b.role == "meta" for k, v in b.data.items() if v}
        positions = [b.data["position"] for b in body if b.role == "position"]
        units += maker.body([b for b in body if b.role not in ("meta", "position", "byline")])
        byline = blocks[d.byline].data if d.byline is not None else {"names": ()}
        members = [b for b in header + body if b.role != "merged"]
        reporting = next((b.data["body"] for b in header if b.role == "reporting"), None)
        articles.append(Article(
            doc_id=source.doc_id, index=n,
            headline=units[0].text if heads else "",
            subheadline=units[1].text if len(heads) > 1 else None,
            authors=tuple(Author(name, byline.get("province")) for name in byline["names"]),
            author_position=positions[0] if positions else None,
            reporting_body=reporting,
            published=meta.get("published"), source=meta.get("source"),
            sentences=tuple(units),
            start=min((b.start for b in members), default=0),
            end=max((b.end for b in members), default=0)))
    preamble = tuple(maker.body([blocks[i] for i in preamble_idx]))
    return SegmentedDocument(source, norm, tuple(articles), preamble)

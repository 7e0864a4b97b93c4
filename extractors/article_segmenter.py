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

from .lexicons import alternation, words
from .records import Article, Author, NormalisedText, SegmentedDocument, Sentence, SourceDocument
from .text_normaliser import EDITOR_LINE, looks_like_heading, normalise

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
#: The publication lines of web pages: "发布时间:2024-05-12 09:30 来源:海盐人大 编辑:徐佳 阅读:1236",
#: one field or several on a line (the normaliser may have dropped the spaces between them).
_META_LABELS = {**dict.fromkeys(("发布时间", "发布日期", "发稿时间", "更新时间", "时间", "日期"), "published"),
                **dict.fromkeys(("来源", "信息来源", "稿件来源", "稿源"), "source"),
                "作者": "author",
                **dict.fromkeys(("编辑", "责任编辑", "责编", "审核", "校对"), "credit"),
                **dict.fromkeys(("阅读", "阅读量", "浏览", "浏览量", "浏览次数", "点击", "点击数", "点击量",
                                 "访问量"), "count")}
#: Any label of a publication field, longer ones first.
_LABEL = alternation(_META_LABELS)
_META_FIELD = re.compile("(?P<label>" + _LABEL + r")\s*(?:[::]|(?=\d))\s*")
_DATE = re.compile(r"(?:19|20)\d{2}\s*[年./\-]\s*\d{1,2}(?:\s*[月./\-]\s*\d{1,2}日?)?月?"
                   r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:星期|周)[一二三四五六日天])?")
#: A publication line without labels: outlet, author, date ("长寿日报杨敏2018-06-25 09:36").
_OUTLET_DATE = re.compile(
    r"(?P<outlet>[\u4e00-\u9fff]{2,10}?(?:" + "|".join(words("credits_media_endings")) + r"))"
    r"\s*(?P<who>[\u4e00-\u9fff]{2,3})?\s*(?P<date>" + _DATE.pattern + ")")
OUTLET_DATE = _OUTLET_DATE
_COUNT = re.compile(r"\d+(?:\.\d+)?万?\+?")
#: A WeChat post's header: "原创 邛崃人大 2024年06月03日 18:30 四川" (author, account, date, time, IP region).
WECHAT = re.compile(
    r"^(?P<tag>原创|转载)?\s*(?P<who>(?:[^\s\d::]{2,24}\s+){1,2})"
    r"(?P<date>(?:19|20)\d{2}(?:年\d{1,2}月\d{1,2}日|-\d{1,2}-\d{1,2}))"
    r"(?:\s*(?P<time>\d{1,2}:\d{2}))?(?:\s+[\u4e00-\u9fff]{2,8})?$")
#: Credits that name an office, not a person ("作者:县人大办", "供稿:县委宣传部").
_ORG_CREDIT = re.compile(r"人大|政府|政协|委员会|常委会|办公室|中心|融媒|宣传|新闻|记者站|[办委部局站社院室处厅台]$")
_PERSON = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_TERMINAL = set("。!?!?…")
_CLOSERS = set("”’\"')」』》")
#: The longest sentence (normalised characters) the segmenter emits; the seed pages'
#: longest is about 240. Evidence quotes a sentence, so this bounds evidence too.
MAX_SENTENCE_CHARS = 500
#: The longest headline taken from running text (a text without a heading line).
MAX_HEADLINE_CHARS = 80
#: A headline cut from running text ends at the first break after this many characters.
_MIN_HEADLINE_CHARS = 8
#: Where an over-long run may be cut when it has no sentence end: clause marks and spaces.
_SOFT_BREAKS = set(",,;;::、")


#: Credit roles (记者, 通讯员, 作者, 文/, 编辑, 审核, 摄影 …): whose names follow them.
AUTHOR_ROLES = words("credits_author_roles")
OTHER_ROLES = words("credits_other_roles")
_SURNAMES = frozenset(words("surnames"))
_OUTLET_END = words("credits_outlet_endings")
_BODY_OPENERS = words("credits_body_openers")
_FURNITURE = words("credits_page_furniture")


def _role_pattern() -> str:
    """Roles longest first; a one-character role (文, 图) only with a mark after it."""
    roles = sorted(AUTHOR_ROLES + OTHER_ROLES, key=len, reverse=True)
    long_ = "|".join(re.escape(r) for r in roles if len(r) > 1)
    short = "|".join(re.escape(r) for r in roles if len(r) == 1)
    return rf"(?:{long_})(?:\s*[/::|])?|(?:{short})\s*[/::|]"


_ROLE = _role_pattern()
_CREDIT_ITEM = re.compile(
    rf"(?P<role>{_ROLE})\s*(?P<names>(?:(?!{_ROLE}|{_LABEL})[\u4e00-\u9fff·\s、,,\x00])*)")
_PINYIN = re.compile(r"[((][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[))]")
_GLOSS = "\x00"                       # stands for a blanked-out pinyin gloss
_NOT_NAMES = frozenset(words("credits_not_names"))
_WRAP = "■□◆●▲()()[]【】〔〕 \t|丨"
#: A paragraph that opens with its credits: "本报讯(记者 江忱菊)…", "湖北日报讯 (记者邓伟、通讯员仁轩)…",
#: "(记者:罗超) 1月17日…".
_LEAD = re.compile(r"^(?:[^((。,,;;]{0,40}?(?:讯|电|消息))?\s*[((](?P<credits>[^()()]{2,60})[))]")


@dataclass(frozen=True)
class Credit:
    """One name of a credit line, with its role and its offsets in the text parsed."""

    role: str
    name: str
    start: int
    end: int

    @property
    def author(self) -> bool:
        return self.role in AUTHOR_ROLES


def _credit_names(names: str, offset: int) -> list[tuple[str, int, int]]:
    """The name-like pieces after one role, between spaces and 、; single characters in a
    row are one name that OCR spaced out ("杨 艳 代小河" → 杨艳, 代小河); a pinyin gloss
    blanked out inside a name ("邹联(lián)华") joins its halves."""
    pieces = [(m.group().replace(_GLOSS, ""), offset + m.start(), offset + m.end())
              for m in re.finditer(rf"[\u4e00-\u9fff·](?:[\u4e00-\u9fff·{_GLOSS}]*[\u4e00-\u9fff·])?", names)]
    out: list[tuple[str, int, int]] = []
    run: list[tuple[str, int, int]] = []
    for piece in pieces + [("", 0, 0)]:
        if len(piece[0]) == 1:
            run.append(piece)
            continue
        if 2 <= len(run) <= 3:
            out.append(("".join(p[0] for p in run), run[0][1], run[-1][2]))
        run = []
        if piece[0]:
            out.append(piece)
    return [n for n in out if (2 <= len(n[0]) <= 4 or "·" in n[0] and len(n[0]) <= 12)
            and not _ORG_CREDIT.search(n[0]) and n[0] not in _NOT_NAMES]


def _has_surname(name: str) -> bool:
    return name[0] in _SURNAMES or name[:2] in _SURNAMES


def _glossless(text: str) -> str:
    """``text`` with pinyin glosses ("联(lián)") blanked out, offsets kept."""
    return _PINYIN.sub(lambda p: _GLOSS * len(p.group()), text)


def credit_items(text: str, lo: int = 0, hi: int | None = None, listed: bool = False) -> list[Credit]:
    """Every role of ``text[lo:hi]`` with the names after it (editors and authors alike).

    A name must start with a surname, unless ``listed`` (the text is all credits) and
    another name of the text does: "通讯员 杨 艳 代小河" vouches for 代小河."""
    found = []
    for m in _CREDIT_ITEM.finditer(_glossless(text), lo, len(text) if hi is None else hi):
        role = re.sub(r"\s*[/::|]$", "", m.group("role"))
        found += [Credit(role, n, s, e) for n, s, e in _credit_names(m.group("names"), m.start("names"))]
    if listed and any(_has_surname(c.name) for c in found):
        return found
    return [c for c in found if _has_surname(c.name)]


def credit_line(text: str) -> tuple[str, list[Credit]] | None:
    """(outlet in front, credits) when the whole text is credits — roles and names, an outlet
    before the first ("河南法制报记者 林栋 通讯员 张素珍", "■ 本报通讯员 杨 艳 代小河",
    "(编辑:晓东 责编:徐声辉)") — else None. A role followed by an office ("作者:县人大办")
    makes no credit line."""
    clean = _glossless(text)
    items = list(_CREDIT_ITEM.finditer(clean))
    if not items:
        return None
    outlet = clean[:items[0].start()].strip(_WRAP)
    if outlet and not all(len(o) <= 16 and o.endswith(_OUTLET_END) and _PERSON_OR_OUTLET.fullmatch(o)
                          for o in outlet.split("、")):    # "新海南客户端、南海网记者 贺立樊"
        return None
    gaps = [clean[a.end():b.start()] for a, b in zip(items, items[1:])] + [clean[items[-1].end():]]
    if any(g.strip(_WRAP) for g in gaps) or any(_ORG_CREDIT.search(m.group("names")) for m in items):
        return None
    credits = credit_items(text, listed=True)
    return (outlet, credits) if credits else None


def lead_credit_line(text: str) -> tuple[str, int, list[Credit]] | None:
    """(outlet, its offset, credits) of the credits a paragraph opens with
    ("本报讯(记者 江忱菊)12月25日…", "海口9月5日讯(海南日报全媒体记者黎鹏)…"); offsets index ``text``."""
    m = _LEAD.match(_glossless(text))
    line = credit_line(text[m.start("credits"):m.end("credits")]) if m else None
    if line is None:
        return None
    base = m.start("credits")
    outlet_at = base + text[base:].find(line[0]) if line[0] else base
    return line[0], outlet_at, [Credit(c.role, c.name, c.start + base, c.end + base) for c in line[1]]


def lead_credits(text: str) -> list[Credit]:
    """The credits a paragraph opens with ("本报讯(记者 江忱菊)12月25日…"), offsets into ``text``."""
    line = lead_credit_line(text)
    return line[2] if line else []


_PERSON_OR_OUTLET = re.compile(r"[\u4e00-\u9fff·\-]{1,16}")


def _is_body_line(t: str) -> bool:
    """A line of running text, never a headline: a full stop in it or at its end, a
    question or exclamation with more text after it, or a body opener ("近日,", "5月10日,")."""
    t = t.strip()
    if "。" in t or re.search(r"[!?!?][”’\"')」』]*[^!?!?”’\"')」』\s]", t):
        return True
    return bool(re.match(r"^(?:" + "|".join(_BODY_OPENERS) + r"|(?:\d{4}年)?\d{1,2}月\d{1,2}日"
                         r"(?:[上下]午|晚|晚上|早上)?)[,,]", t))


def _is_furniture(t: str) -> bool:
    """A stored web page's navigation or furniture line ("当前位置:首页>…", "扫一扫", "微博"),
    or a line that is no headline for its form: a path, a furniture word, a clock time, a note in brackets,
    fewer than four Han characters or more digits than them, a salutation ending in ":"."""
    han = len(re.findall(r"[\u4e00-\u9fff]", t))
    return (">" in t or any(w in t for w in _FURNITURE) or bool(re.search(r"\d{1,2}:\d{2}", t))
            or bool(re.fullmatch(r"[((][^()()]*[))]", t.strip()))     # "(资料图片仅供参考)": a photo note
            or han < 4 or han < sum(c.isdigit() for c in t) or t.rstrip().endswith(":")
            or bool(_MASTHEAD_LINE.fullmatch(t.strip()) or _MENU.fullmatch(t.strip())))


#: A periodical's name printed as the page's masthead: "《怀柔人大》数字报", "《人民代表报》".
_MASTHEAD_LINE = re.compile(r"《[^《》]{2,20}》(?:" + "|".join(words("credits_masthead_words")) + ")?")
#: A site's menu: four or more short items between spaces ("今日临沂 今日蒙阴 今日莒南 今日平邑").
_MENU = re.compile(r"[\u4e00-\u9fff]{2,6}(?:\s+[\u4e00-\u9fff]{2,6}){3,}")


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
    blocks = [b for b in blocks if b.role != "merged"]
    _mark_outlet_lines(blocks)
    _mark_closing_credits(blocks)
    _mark_name_lines(blocks)
    return blocks


def name_line(text: str) -> list[Credit]:
    """The names of a line that is only names, the credit of a page that prints its authors
    without a role ("覃心 张云河", "茹奕"): one to four pieces between spaces, each two or
    three characters with a surname and no common word; else []."""
    from .rules.text_helpers import is_common_word    # the rules import this module
    pieces = list(re.finditer(r"[^\s、,,]+", text))
    if not 1 <= len(pieces) <= 4 or re.search(r"[^\u4e00-\u9fff·\s、,,]", text):
        return []
    if all(2 <= len(p.group()) <= 3 and _has_surname(p.group()) and p.group() not in _NOT_NAMES
           and not _ORG_CREDIT.search(p.group()) and not is_common_word(p.group(), ("nr", "nrfg", "nrt"))
           for p in pieces):
        return [Credit("作者", p.group(), p.start(), p.end()) for p in pieces]
    return []


def _mark_name_lines(blocks: list[_Block]) -> None:
    """A line of names alone, among a page's first lines, under a headline or a publication
    line, or closing the text, is the page's credit: its names are the authors."""
    for k, b in enumerate(blocks):
        if b.role not in ("heading", "paragraph") or not (names := name_line(b.text)):
            continue
        prev = blocks[k - 1] if k else None
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if k < 3 or prev.role in ("heading", "meta") or nxt is None or nxt.role != "paragraph":
            b.role, b.data = "meta", {"published": None, "source": None, "authors": tuple(c.name for c in names)}


def _mark_closing_credits(blocks: list[_Block]) -> None:
    """A labelled credit right under running text ("…陪同视察。" then "记者:江忱菊") closes
    the article above it; it anchors no new article, as a byline does under a headline."""
    for prev, b in zip(blocks, blocks[1:]):
        if b.role == "byline" and not BYLINE.match(b.text) and prev.role == "paragraph" and _is_body_line(prev.text):
            b.role, b.data = "meta", {"published": None, "source": None, "authors": b.data["names"]}


#: Last words of an outlet's name (日报, 新闻网, 客户端 …), for a line that is only a name.
_MEDIA_END = tuple(words("credits_media_endings"))


def _mark_outlet_lines(blocks: list[_Block]) -> None:
    """A line holding only an outlet's name is page furniture naming the publisher: the
    page's first line ("荆州日报", an app's banner) or the line under the publication line
    ("来源:… 编辑:…" then "时刻新闻"). It becomes a credit line, never the headline."""
    for k, b in enumerate(blocks):
        ends = _MEDIA_END if k > 0 and blocks[k - 1].role == "meta" else _MASTHEAD_END if k == 0 else ()
        if b.role == "heading" and _OUTLET_LINE.fullmatch(b.text) and b.text.endswith(ends):
            b.role, b.data = "meta", {}


_OUTLET_LINE = re.compile(r"[\u4e00-\u9fff·]{4,12}")
#: Endings of a periodical or site printed as the page's first line ("荆州日报", "四川法制网");
#: a headline may end in 在线, 发布 or 人大 ("代表在线"), never in these.
_MASTHEAD_END = ("日报", "晚报", "早报", "报", "网", "客户端", "电视台")


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


def _person_names(value: str) -> tuple[str, ...]:
    """The names of a credit when they are people's names, else ()."""
    names = _split_names(value)
    if names and all(_PERSON.fullmatch(n) and not _ORG_CREDIT.search(n) and n not in _NOT_NAMES for n in names):
        return names
    return ()


def _role_authors(value: str) -> tuple[str, ...]:
    """The authors of an author field that prints roles ("作者:记者林小军 李亚强 通讯员欧学雄")."""
    line = credit_line(value)
    return tuple(c.name for c in line[1] if c.author) if line and not line[0] else ()


def _dated_fields(line: str, data: dict) -> str:
    """A publication line that prints its date first ("2019-12-14 10:19 来源:湛江日报 作者:…"):
    the date goes to ``data``; the labelled fields after it are returned."""
    if (lead := _DATE.match(line)) and _META_FIELD.match(rest := line[lead.end():].lstrip(" |丨/")):
        data["published"] = lead.group().strip()
        return rest
    return line


def _meta_fields(t: str) -> dict | None:
    """Published date, source and authors of a publication line, or None for any other line.

    The line must consist of labelled fields only; a date label needs a date (with
    a year) and nothing else, so a notice's "时间:2024年6月15日上午9时" stays text."""
    if m := _OUTLET_DATE.fullmatch(t.strip()):
        who = m.group("who")
        if who and (not _has_surname(who) or _ORG_CREDIT.search(who) or who[-1] in "版刊号端网报"):
            return None
        return {"published": m.group("date"), "source": m.group("outlet"), "authors": (who,) if who else ()}
    if m := WECHAT.match(t):
        if not (m.group("tag") or m.group("time")):
            return None
        who = m.group("who").split()
        published = m.group("date") + (f" {m.group('time')}" if m.group("time") else "")
        return {"published": published, "source": who[-1],
                "authors": _person_names(who[0]) if len(who) == 2 else ()}
    data: dict = {"published": None, "source": None, "authors": ()}
    line = _dated_fields(t.strip("【】[]|丨 "), data)
    fields = list(_META_FIELD.finditer(line))
    if not fields or fields[0].start() != 0 or len(line) > 100:
        return None
    for f, nxt in zip(fields, fields[1:] + [None]):
        value = line[f.end():nxt.start() if nxt else len(line)].strip(" |丨/【】[]")
        key = _META_LABELS[f.group("label")]
        if key == "published":
            if not _DATE.fullmatch(value):     # "时间:2024年6月15日上午9时" is an event's time
                return None
            data["published"] = data["published"] or value
        elif key == "count" and value and not _COUNT.fullmatch(value):   # "访问量:" left blank by the page
            return None
        elif key == "source" and value:
            data["source"] = data["source"] or value
        elif key == "author":
            data["authors"] = data["authors"] or _person_names(value) or _role_authors(value)
    return data


def _classify(b: _Block) -> None:
    if b.role == "merged":
        return
    t = b.text
    if len(t) > MAX_SENTENCE_CHARS:
        return                     # running text (a page without line breaks), never a label
    credit = CREDIT.match(t)
    if credit and any(_ORG_CREDIT.search(n) for n in _split_names(credit.group("names"))):
        credit = None              # "作者:县人大办": an office, read as a publication line
    line = credit_line(t)
    if m := (BYLINE.match(t) or credit):
        names = _split_names(m.group("names"))
        if line is not None:       # "□ 通讯员 张红芳 付慧玲": the role is no name
            names = tuple(c.name for c in line[1] if c.author)
        b.role = "byline"
        b.data = {"names": names, "province": m.groupdict().get("province")}
    elif line is not None or EDITOR_LINE.match(t):   # "记者 林栋 通讯员 张素珍", "编辑:杨柳", "版式:…"
        b.role = "meta"
        b.data = {"published": None, "source": None, "authors": tuple(c.name for c in line[1] if c.author)
                  if line else ()}
    elif m := POSITION.match(t):
        b.role, b.data = "position", {"position": m.group("position").strip()}
    elif m := REPORTING_BODY.match(t):
        b.role, b.data = "reporting", {"body": m.group("body")}
    elif EDITOR_NOTE.match(t):
        b.role = "note"
    elif (meta := _meta_fields(t)) is not None:
        b.role, b.data = "meta", meta
    elif looks_like_heading(t):
        b.role = "heading"


@dataclass
class _Draft:
    header: list[int]                      # block indices of reporting body / headline(s)
    byline: int | None
    body: list[int] = field(default_factory=list)
    meta: list[int] = field(default_factory=list)   # publication lines between headline and byline
    headless: bool = False                 # the text starts inside its body: no headline


def _drafts(blocks: list[_Block]) -> tuple[list[int], list[_Draft]]:
    """Anchor articles on bylines; without any, the whole text is one article."""
    anchors = [i for i, b in enumerate(blocks) if b.role == "byline"]
    if not anchors:
        return _one_article(blocks)
    drafts: list[_Draft] = []
    floor = 0
    for a in anchors:
        header: list[int] = []
        meta: list[int] = []
        i = a - 1
        # a web article prints its publication line between headline and "作者:" credit
        while i >= floor and blocks[i].role in ("heading", "meta") and len(header) < 2:
            (header if blocks[i].role == "heading" else meta).insert(0, i)
            i -= 1
        if i >= floor and blocks[i].role == "reporting":
            header.insert(0, i)
        if not header:
            meta = []
        drafts.append(_Draft(header, a, meta=meta))
        floor = a + 1
    starts = [min(d.header + d.meta) if d.header else d.byline for d in drafts] + [len(blocks)]
    for d, nxt in zip(drafts, starts[1:]):
        d.body = list(range(d.byline + 1, nxt))
    preamble = list(range(starts[0]))
    _reclaim_text_above_header(blocks, drafts)
    return preamble, drafts


def _one_article(blocks: list[_Block]) -> tuple[list[int], list[_Draft]]:
    """A text without bylines is one article. Its headline is the first text line before
    any running text, past the page's navigation lines; a text that starts inside its
    body (a sentence with a full stop, "近日,…") has no headline."""
    text = [i for i, b in enumerate(blocks) if b.role in ("heading", "paragraph")]
    if not text:
        return list(range(len(blocks))), []
    if header := _header_above_publication(blocks):
        return list(range(header[0])), [_Draft(header, None, list(range(header[-1] + 1, len(blocks))))]
    for i in text:
        if _is_body_line(blocks[i].text):
            break
        if not _is_furniture(blocks[i].text):
            return list(range(i)), [_Draft([i], None, list(range(i + 1, len(blocks))))]
    first = text[0]
    lead = next((i for i in text if not _is_furniture(blocks[i].text)), first)
    return list(range(lead)), [_Draft([], None, list(range(lead, len(blocks))), headless=True)]


#: How many lines from the top a web page's publication line may stand.
_PUBLICATION_WITHIN = 12


def _header_above_publication(blocks: list[_Block]) -> list[int]:
    """A web page prints its headline right above its publication line ("来源:… 时间:…",
    a WeChat header), below the site's name, menus, motto and column labels: the line
    without a full stop nearest above the first publication line, when that stands in
    the page's first lines with at most one sentence (a motto) above it. A line opening
    with a dash ("——记…") is the subheadline of the line above it."""
    body_lines = 0
    for pub in range(min(len(blocks), _PUBLICATION_WITHIN)):
        b = blocks[pub]
        if b.role == "meta" and (b.data.get("published") or b.data.get("source")):
            break
        body_lines += b.role == "paragraph" and _is_body_line(b.text)
        if body_lines > 1:          # a motto above the headline may be a sentence; the text is more
            return []
    else:
        return []
    above = [i for i in range(pub) if blocks[i].role in ("heading", "paragraph")
             and not _is_furniture(blocks[i].text) and "。" not in blocks[i].text]
    if not above:
        return []
    if blocks[above[-1]].text.startswith(("—", "-")) and len(above) > 1:
        return above[-2:]
    return above[-1:]


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


def _sentence_spans(text: str, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Split at 。!? (with any closing quotes), never inside a pair of brackets;
    a span longer than `limit` is cut further (`_bounded`).

    A bracket still open `limit` characters on never closes (OCR lost it, or a column
    break moved it): the span is read again without bracket nesting."""
    spans, start, i, depth, nested = [], 0, 0, 0, True
    while i < len(text):
        if depth and i - start >= limit:
            i, depth, nested = start, 0, False
            continue
        ch = text[i]
        if nested:
            depth += ch in "((《" and 1 or 0
            depth -= ch in "))》" and depth > 0 and 1 or 0
        if ch in _TERMINAL and depth == 0:
            j = i + 1
            while j < len(text) and (text[j] in _CLOSERS or text[j] in _TERMINAL):
                j += 1
            spans.append((start, j))
            start, i, nested = j, j, True
            continue
        i += 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return [piece for s, e in spans for piece in _bounded(text, s, e, limit)]


def _bounded(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most `limit` characters: each piece
    ends at the last sentence end, clause mark or space within the limit (the mark
    stays with the piece), else exactly at the limit."""
    pieces = []
    while end - start > limit:
        hi = start + limit
        cut = next((k + 1 for k in range(hi - 1, start, -1)
                    if text[k] in _TERMINAL or text[k] in _SOFT_BREAKS or text[k].isspace()), hi)
        while cut < hi and text[cut] in _CLOSERS:
            cut += 1
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _headline_cut(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a headline taken from running text ``text[start:end]`` ends and the text
    after it resumes: the first sentence end, clause mark or space after
    `_MIN_HEADLINE_CHARS` characters, within `MAX_HEADLINE_CHARS` (the mark belongs to
    neither), else a hard cut. None when the block is short enough to be a headline."""
    if end - start <= MAX_HEADLINE_CHARS:
        return None
    for k in range(start + _MIN_HEADLINE_CHARS, start + MAX_HEADLINE_CHARS + 1):
        ch = text[k]
        if ch in _TERMINAL or ch in _SOFT_BREAKS or ch.isspace():
            resume = k + 1
            while resume < end and (text[resume] in _CLOSERS or text[resume] in _TERMINAL):
                resume += 1
            return k, resume
    return start + MAX_HEADLINE_CHARS, start + MAX_HEADLINE_CHARS


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
                    out.extend(self.unit(s, e, "heading") for s, e in _bounded(self.norm.text, b.start, b.end))
                elif b.role == "meta":     # credit and publication lines: editors, sources
                    out.extend(self.unit(s, e, "meta") for s, e in _bounded(self.norm.text, b.start, b.end))
                continue
            if run and run[-1].text[-1] in _TERMINAL | _CLOSERS:
                flush()
            run.append(b)
        flush()
        return out


def _bounded_headline(text: str, heads: list[_Block], body: list[_Block]) -> tuple[list[_Block], list[_Block]]:
    """A headline block longer than a headline (running text standing in for one, as
    in a text without line breaks) keeps its first clause; the rest is body text."""
    if not heads or (cut := _headline_cut(text, heads[0].start, heads[0].end)) is None:
        return heads, body
    first = heads[0]
    head_end, resume = cut
    head = _Block(first.start, head_end, text[first.start:head_end].strip(), first.role, first.data)
    rest = [_Block(resume, first.end, text[resume:first.end].strip())] if text[resume:first.end].strip() else []
    return [head, *heads[1:]], rest + body


def _web_authors(meta: dict, body: list[_Block]) -> tuple[str, ...]:
    """The authors of an article without a byline: its credit or publication lines, else
    the credits one of its first paragraphs opens with ("本报讯(记者 江忱菊)…"; a photo
    caption may come first), else the names in brackets closing its text."""
    if meta.get("authors"):
        return meta["authors"]
    paragraphs = [b for b in body if b.role == "paragraph"]
    for b in paragraphs[:_LEAD_PARAGRAPHS]:
        if credits := lead_credits(b.text):
            return tuple(c.name for c in credits if c.author)
    return trailing_credits([b for b in body if b.role in ("paragraph", "heading")])


#: How many paragraphs from the top a web article's opening credits may stand.
_LEAD_PARAGRAPHS = 3
#: Names in brackets at the end of a text: "(朱琳 陈莹莹)", "(人代工委 罗娜)", "(记者 王珂)".
_TRAILER = re.compile(r"(?:^|[。!?!?”’\"')」』])\s*[((](?P<credits>[^()()]{2,40})[))]\s*$")


def trailing_credits(paragraphs: list[_Block]) -> tuple[str, ...]:
    """Names in brackets closing an article's last paragraph of text (or standing alone
    after it): "…提供了有益借鉴。(朱琳 陈莹莹)", "(人代工委 罗娜)". Chinese news credits
    its writers so; lines after the text (related links, share buttons) are passed over.
    Every piece must be a name with a surname, or the office in front of them."""
    for b in reversed(paragraphs):
        if m := _TRAILER.search(b.text):
            return _trailer_names(m.group("credits"))
        if _is_body_line(b.text):
            return ()
    return ()


def _trailer_names(credits: str) -> tuple[str, ...]:
    """The names of a closing credit: a credit line's authors ("记者 王珂"), or bare names
    after an optional office ("人代工委 罗娜"); else ()."""
    if (line := credit_line(credits)) is not None:
        return tuple(c.name for c in line[1] if c.author)
    pieces = [p for p in re.split(r"[\s、,,]+", credits.strip()) if p]
    if pieces and _ORG_CREDIT.search(pieces[0]) and len(pieces) > 1:
        pieces = pieces[1:]
    names = [p for p in pieces if _PERSON.fullmatch(p) and _has_surname(p) and p not in _NOT_NAMES
             and not _ORG_CREDIT.search(p)]
    return tuple(names) if names and len(names) == len(pieces) else ()


def segment(source: SourceDocument) -> SegmentedDocument:
    """Normalise and segment one decoded file."""
    norm = normalise(source.raw)
    blocks = _blocks(norm)
    preamble_idx, drafts = _drafts(blocks)
    maker = _UnitMaker(norm)
    articles = []
    credit_blocks: list[_Block] = []
    for n, d in enumerate(drafts):
        header = [blocks[i] for i in d.header]
        body = [blocks[i] for i in d.body]
        heads = [b for b in header if b.role != "reporting"]
        if not heads and not d.headless:  # headline printed after the byline, or missing: first heading below
            first = next((b for b in body if b.role == "heading"), None)
            heads = [first] if first else []
            body = [b for b in body if b is not first]
        heads, body = _bounded_headline(norm.text, heads, body)
        units = [maker.unit(b.start, b.end, "headline" if k == 0 else "subheadline")
                 for k, b in enumerate(heads)]
        meta: dict = {}
        for b in [blocks[i] for i in d.meta] + body:
            for k, v in b.data.items() if b.role == "meta" else ():
                if v:
                    meta.setdefault(k, v)
        positions = [b.data["position"] for b in body if b.role == "position"]
        units += maker.body([b for b in body if b.role not in ("meta", "position", "byline")])
        credit_blocks += [blocks[i] for i in d.meta] + [b for b in body if b.role == "meta"]
        byline = blocks[d.byline].data if d.byline is not None else {"names": _web_authors(meta, body)}
        members = [b for b in header + [blocks[i] for i in d.meta] + body if b.role != "merged"]
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
    # publication and credit lines are the page's text, not the article's: the editors
    # and outlets they name are read there, and the places they print (a reposting
    # site's "来源:平度市人大常委会办公室") never decide what the article's "市" is
    page = sorted([blocks[i] for i in preamble_idx] + credit_blocks, key=lambda b: b.start)
    preamble = tuple(maker.body(page))
    return SegmentedDocument(source, norm, tuple(articles), preamble)


def author_position_sentences(doc: SegmentedDocument) -> dict[str, Sentence]:
    """The "(作者系…)" line of each article that prints one, by article id: a Sentence of
    kind "position" with exact offsets (a line cut by a column break spans both parts).

    It is the evidence of what the position says (memberOf); it is not one of the
    article's sentences, so entities are not extracted from it twice."""
    positions = [b for b in _blocks(doc.normalised) if b.role == "position"]
    maker = _UnitMaker(doc.normalised)
    out: dict[str, Sentence] = {}
    for a in doc.articles:
        if not a.author_position:
            continue
        b = next((b for b in positions
                  if a.start <= b.start < a.end and b.data["position"] == a.author_position), None)
        if b is not None:
            out[a.article_id] = maker.unit(b.start, b.end, "position")
    return out

"""The rules are tuned to the language, never to the gold texts: no name a gold file
annotates is written into the extractor's code or lexicons.

Every string literal of `extractors/` (docstrings aside: they quote seed examples) and
every lexicon entry is compared with the names and aliases of the gold files. Generic
words that happen to be gold names too (an abbreviation such as 县委, a kind of venue
such as 中心联络站, a national body) are listed in ``GENERIC`` with why."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLD_FILES = [*ROOT.glob("tests/gold/*.json"), *ROOT.glob("tests/heldout/*.json"), *ROOT.glob("tests/real/*/*.json")]
CHECKED_TYPES = {"Person", "Place", "Organization", "LiaisonStation", "Programme", "Document", "Media", "Article"}

#: Gold names that are words of the language, not names of one text's things.
GENERIC = {
    "北京市", "天津市", "上海市", "重庆市",        # the municipalities: how district names resolve
    "党中央", "中共中央政治局", "中央八项规定",      # national bodies and rules every text may name
    "宪法", "民法典", "人民代表报",                 # national law, code and the congress press
    "县委", "办事处", "检查组", "代表联络室",        # abbreviations and parts of any body
    "中心联络站", "示范区", "票决制", "代表风采",     # kinds of venue, zone and system; a column label
    "决定", "意见", "方案", "条例",                 # genre words a document is also called by
    "民生实事项目人大代表票决制",                    # the nationwide voting system, the same everywhere
}


def _gold_names() -> dict[str, str]:
    names = {}
    for f in GOLD_FILES:
        for e in json.loads(f.read_text(encoding="utf-8"))["entities"]:
            if e["type"] in CHECKED_TYPES:
                for n in (e["name"], *e.get("aliases", [])):
                    if len(n) >= 2:
                        names.setdefault(n, f"{e['type']} in {f.name}")
    return names


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            out.add(id(body[0].value))
    return out


def _literals():
    for path in sorted((ROOT / "extractors").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                yield path.name, node.value
    for path in sorted((ROOT / "extractors" / "lexicons").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                yield path.name, line.split()[0]


def test_no_gold_name_is_written_into_the_rules():
    names = _gold_names()
    found = set()
    for where, literal in _literals():
        for piece in re.split(r"[|()?:\[\]\\^$*+{}.,、]", literal):
            if piece in names and piece not in GENERIC:
                found.add(f"{where}: {piece} ({names[piece]})")
    assert not found, "gold names in the rules:\n" + "\n".join(sorted(found))

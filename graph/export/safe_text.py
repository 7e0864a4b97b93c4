"""Text that every output file can hold, whatever the input held.

Names and sentences come from OCR'd pages and can carry anything: control
characters (``\\x1b``, ``\\x00``), the noncharacters U+FFFE and U+FFFF, and lone
surrogates (a file path decoded with ``surrogateescape``, such as ``'bad\\udcff.txt'``).
Two rules cover every writer, and both swap one character for U+FFFD
(REPLACEMENT CHARACTER), so lengths and therefore evidence offsets never move:

* ``encodable`` — UTF-8 cannot encode a lone surrogate at all, so every text file
  (JSON Lines, node-link JSON, Turtle, N-Triples, HTML) gets U+FFFD in its place.
  JSON escapes the control characters itself and keeps them.
* ``xml_safe`` — XML 1.0 forbids the C0 controls other than tab, LF and CR, lone
  surrogates, U+FFFE and U+FFFF, even as character references (``&#27;`` is just as
  invalid), so GEXF, GraphML and the viewer's data get U+FFFD for each of them.
"""
from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["REPLACEMENT", "deep_map", "encodable", "json_line", "xml_safe"]

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def encodable(text: str) -> str:
    """`text` with each surrogate code point replaced by U+FFFD: valid to write as UTF-8."""
    return _SURROGATE.sub(REPLACEMENT, text)


def xml_safe(text: str) -> str:
    """`text` with each character XML 1.0 forbids replaced by U+FFFD."""
    return _XML_FORBIDDEN.sub(REPLACEMENT, text)


def json_line(record: Any) -> str:
    """One JSON Lines line: UTF-8 text, control characters escaped by JSON, and any
    lone surrogate (which ``ensure_ascii=False`` would leave for the encoder to
    choke on) as U+FFFD."""
    return encodable(json.dumps(record, ensure_ascii=False)) + "\n"


def deep_map(value: Any, fn) -> Any:
    """`value` with `fn` applied to every string in it, dict keys included, through
    dicts, lists and tuples (tuples become lists, as JSON would make them)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {deep_map(k, fn): deep_map(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [deep_map(v, fn) for v in value]
    return value

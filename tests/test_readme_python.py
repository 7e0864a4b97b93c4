"""The README's spaCy snippet ("## Python") runs as printed: its comments are its output."""
import ast
import contextlib
import io
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_snippet() -> str:
    """The ```python block of the README that calls renda_kg.load()."""
    blocks = [b.split("```")[0] for b in README.read_text("utf-8").split("```python\n")[1:]]
    return next(b for b in blocks if "renda_kg.load()" in b)


def code_and_expected(snippet: str) -> tuple[str, list[str]]:
    """The code, and per print() the comment lines printed below it, joined."""
    code, expected = [], []
    previous_was_comment = False
    for line in snippet.splitlines():
        if line.startswith("#"):
            text = line[1:].strip()
            if previous_was_comment:
                expected[-1] += " " + text
            else:
                expected.append(text)
            previous_was_comment = True
        else:
            code.append(line)
            previous_was_comment = False
    return "\n".join(code), expected


def test_readme_spacy_snippet_prints_what_its_comments_say():
    code, expected = code_and_expected(readme_snippet())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue().splitlines()
    assert len(printed) == len(expected)
    for got, want in zip(printed, expected):
        assert ast.literal_eval(got) == ast.literal_eval(want)

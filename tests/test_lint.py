"""ruff with the project's configuration (pyproject.toml: pyflakes, bugbear, simplify,
McCabe complexity 12) finds nothing in the code, the tests or the benchmarks."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                             "."], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_over_500_lines_in_the_rule_families():
    """Issue 11's bound: one job per module keeps each family readable."""
    long = {p.name: n for p in (ROOT / "extractors" / "rules").glob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > 500}
    assert long == {}

"""Shared fixtures: the real seed pages of the embedded default corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, "the embedded corpus holds five seed pages"
    return paths


@pytest.fixture(scope="session")
def segmented_seeds(seed_paths):
    from renda_kg.extractors.article_segmenter import segment
    from renda_kg.extractors.records import SourceDocument
    return {p.stem[:3]: segment(SourceDocument(p.stem, str(p), p.read_text("utf-8"), "utf-8"))
            for p in seed_paths}


@pytest.fixture(scope="module")
def no_proxy_for_loopback():
    """HTTP clients in a test reach 127.0.0.1 directly even where a proxy is configured."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NO_PROXY", "127.0.0.1,localhost")
        mp.setenv("no_proxy", "127.0.0.1,localhost")
        yield


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory):
    """Every test (and every process it starts) caches under a fresh folder, never in the
    user's ~/.cache, and no test sees results cached by an earlier run."""
    import os
    previous = os.environ.get("RENDA_KG_CACHE_DIR")
    os.environ["RENDA_KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("renda-kg-cache"))
    yield
    if previous is None:
        os.environ.pop("RENDA_KG_CACHE_DIR", None)
    else:
        os.environ["RENDA_KG_CACHE_DIR"] = previous

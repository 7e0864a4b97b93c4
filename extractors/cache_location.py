"""Where renda-kg keeps what it can rebuild: compiled dictionaries and per-document results.

One root for every cache, so a user clears them all with one ``rm -r``:
``$RENDA_KG_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/renda-kg``, else
``~/.cache/renda-kg``. Nothing in it is ever needed: a missing, unreadable or
corrupt entry is rebuilt, and an unwritable root only costs speed.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_root"]


def cache_root() -> Path:
    """The cache directory (not created here; writers create what they need)."""
    explicit = os.environ.get("RENDA_KG_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "renda-kg"

"""A build's output directory, replaced as a whole or not at all.

Every file of a build is written into a fresh staging directory beside the target
(``.outputs.renda-kg-new.<pid>.<random>``); only when all of them are written is it
swapped with the target in one step (``renameat2(RENAME_EXCHANGE)`` on Linux, two
renames elsewhere). After a crash, a full disk or Ctrl-C the target holds one complete
build, old or new, with its own INDEX.md. Files in the target that a build does not
write (a README.md, say) are carried into the new build. A build's products may be
folders (the query store, graph.oxigraph/): they are replaced with the build like its
files; any other folder in the target is refused, since the swap would drop it.
Staging directories left by a killed build (kill -9) are removed by the next build
into the same place.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

__all__ = ["OutputDirError", "StagedOutput"]

_STAGE_TAG = ".renda-kg-"


class OutputDirError(Exception):
    """The output directory cannot be used; one line for the user."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class StagedOutput:
    """Check the target early, stage the files, then `commit()` or `discard()`.

    Used as a context manager: leaving the block with an exception discards the
    staging directory and leaves the target untouched."""

    def __init__(self, target: str | Path, produces: Iterable[str]):
        self.shown = str(target)
        self.target = Path(os.path.abspath(target))
        self.produces = set(produces)
        self.stage: Path | None = None
        self._check()

    def _check(self) -> None:
        t, shown = self.target, self.shown
        if Path.cwd() == t or t in Path.cwd().parents:
            raise OutputDirError(f"-o {shown}: is the current directory or holds it; choose a subdirectory")
        if t.exists() and not t.is_dir():
            raise OutputDirError(f"-o {shown}: exists and is not a directory")
        if t.is_dir():
            subdirs = sorted(p.name for p in t.iterdir()
                             if p.is_dir() and not p.name.startswith(".") and p.name not in self.produces)
            if subdirs:
                raise OutputDirError(f"-o {shown}: holds folders ({', '.join(subdirs[:3])}); a build replaces "
                                     "its output directory as a whole, so choose a new or output-only one")
        parent = t.parent if str(t.parent) else Path(".")
        if not parent.is_dir():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise OutputDirError(f"-o {shown}: cannot create {parent}: {err.strerror or err}") from None
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputDirError(f"-o {shown}: cannot write in {parent} (the build is staged beside its "
                                 "output directory)")

    def __enter__(self) -> Path:
        parent = self.target.parent
        self._remove_stale(parent)
        self.stage = Path(tempfile.mkdtemp(prefix=f".{self.target.name}{_STAGE_TAG}new.{os.getpid()}.",
                                           dir=parent))
        return self.stage

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    def _remove_stale(self, parent: Path) -> None:
        """Staging and old directories of builds that were killed before they could clean up."""
        prefix = f".{self.target.name}{_STAGE_TAG}"
        for p in parent.glob(prefix + "*"):
            try:
                pid = int(p.name[len(prefix):].split(".")[1])
            except (IndexError, ValueError):
                continue
            if pid == os.getpid() or not _pid_alive(pid):
                shutil.rmtree(p, ignore_errors=True)

    def _carry_over(self) -> None:
        """Files the build does not write keep their place in the output directory."""
        if not self.target.is_dir():
            return
        for p in self.target.iterdir():
            if p.name in self.produces or p.is_dir() or (self.stage / p.name).exists():
                continue
            if p.name.startswith(".") and p.name.endswith(".tmp"):
                continue                                 # an older version's half-written file
            try:
                os.link(p, self.stage / p.name)
            except OSError:
                shutil.copy2(p, self.stage / p.name)

    def commit(self) -> None:
        """Swap the staged build in; the old one is removed afterwards."""
        assert self.stage is not None
        self._carry_over()
        os.chmod(self.stage, 0o755 & ~_umask())
        if not self.target.exists():
            os.rename(self.stage, self.target)
        elif _exchange(self.stage, self.target):
            shutil.rmtree(self.stage, ignore_errors=True)          # now the old build
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}{_STAGE_TAG}old.{os.getpid()}.",
                                        dir=self.target.parent))
            os.rmdir(old)
            os.rename(self.target, old)
            os.rename(self.stage, self.target)
            shutil.rmtree(old, ignore_errors=True)
        self.stage = None

    def discard(self) -> None:
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)
            self.stage = None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

"""Atomic writes: a file takes its target's name only when complete, and nothing is left when it is not.

On Linux the file has no name until it is complete (``O_TMPFILE``, linked into place); elsewhere a hidden
temporary file beside the target is renamed onto it. See :func:`atomic_write`.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO


def _process_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux's /proc)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0)  # elsewhere: set and restore it
    os.umask(umask)
    return umask


@contextlib.contextmanager
def atomic_write(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that becomes ``target`` only when the block succeeds; else nothing is left.

    On Linux the file is made without a name (``O_TMPFILE``) in the target's
    folder and linked into place when complete, so not even ``SIGKILL`` can
    leave a partial or hidden file behind. Elsewhere (or on a file system
    without ``O_TMPFILE``) a hidden temporary file beside the target is renamed
    onto it, and removed on any error or interruption that Python sees.

    A symbolic link is followed, so the file it points to is written and the
    link stays. An existing file keeps its permissions; a new one gets those a
    plain ``open()`` would give. A target that exists but is not a regular file
    (a FIFO, ``/dev/stdout`` into a pipe, ``/dev/null``) cannot be renamed onto
    and is written through directly. Errors name ``target``, never a temporary file.
    """
    path = Path(target)
    existing = _stat(path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _naming(path), open(path, "wb") as through:
            yield through
        return
    real = Path(os.path.realpath(path))
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_process_umask()
    with _naming(path):
        fh, temporary = _open_unnamed(real.parent, mode)
    try:
        yield fh
        fh.flush()
        with _naming(path):
            _commit(fh, temporary, real)
    except BaseException:
        fh.close()
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    fh.close()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Like :func:`atomic_write`, for writers that want a path: a hidden temporary path, renamed when complete."""
    path = Path(target)
    existing = _stat(path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        yield path
        return
    real = Path(os.path.realpath(path))
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_process_umask()
    with _naming(path):
        fd, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part", dir=real.parent)
    os.close(fd)
    try:
        os.chmod(name, mode)
        yield Path(name)
        with _naming(path):
            os.replace(name, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


@contextlib.contextmanager
def text_view(fh: BinaryIO) -> Iterator[IO[str]]:
    """``fh`` as UTF-8 text with newlines written as given; ``fh`` itself stays open afterwards."""
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    try:
        yield text
        text.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            text.detach()


def _stat(path: Path) -> os.stat_result | None:
    """``os.stat`` of the target (links followed), None when it does not exist yet."""
    with _naming(path):
        try:
            return os.stat(path)
        except FileNotFoundError:
            return None


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Re-raise an operating-system error about a temporary file as one about ``path``."""
    try:
        yield
    except OSError as error:
        if error.filename is None or error.filename == str(path):
            raise
        raise type(error)(error.errno, error.strerror, str(path)) from None


def _open_unnamed(folder: Path, mode: int) -> tuple[BinaryIO, str | None]:
    """A file in ``folder`` without a name (``O_TMPFILE``), or a hidden named one where that is not possible."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(folder, flag | os.O_RDWR, mode)  # readable too, for the copy of _commit's fallback
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
        else:
            os.fchmod(fd, mode)  # the mode above was masked by the umask; an existing file's mode is kept as is
            return os.fdopen(fd, "wb"), None
    return _open_unnamed_fallback(folder, mode)


def _open_unnamed_fallback(folder: Path, mode: int) -> tuple[BinaryIO, str]:
    """A hidden named temporary file in ``folder``, with ``mode``."""
    fd, name = tempfile.mkstemp(prefix=".mixupy.", suffix=".part", dir=folder)
    os.fchmod(fd, mode)
    return os.fdopen(fd, "wb"), name


def _commit(fh: BinaryIO, temporary: str | None, target: Path) -> None:
    """Give the complete file the target's name: link the unnamed file, or rename the named one."""
    if temporary is not None:
        os.replace(temporary, target)
        return
    fd = fh.fileno()
    try:
        if _link(fd, target):
            return
        # the target exists: link under a fresh hidden name, then rename over it (both in the same folder)
        for attempt in range(100):
            name = target.parent / f".{target.name}.{os.getpid()}.{attempt}.part"
            if _link(fd, name):
                _replace(name, target)
                return
    except _CannotLink:
        # linking an unnamed file is refused here (no /proc, another mount namespace): copy it under a hidden
        # name in the kernel, then rename; the named copy exists only for the length of this copy
        named, copy = _open_unnamed_fallback(target.parent, stat.S_IMODE(os.fstat(fd).st_mode))
        with named:
            _copy_file(fd, named.fileno())
        _replace(copy, target)
        return
    msg = f"could not replace {target}: too many leftover temporary names beside it"
    raise FileExistsError(msg)


class _CannotLink(Exception):
    """The system will not give an unnamed file a name."""


def _link(fd: int, name: Path) -> bool:
    """Link the unnamed file ``fd`` as ``name``; False when ``name`` exists, :class:`_CannotLink` when not allowed."""
    try:
        os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
        return True
    except FileExistsError:
        return False
    except OSError:
        pass
    import ctypes  # linkat(fd, "", ..., AT_EMPTY_PATH): the direct way, where the process may use it

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_empty_path = -100, 0x1000
    if libc.linkat(fd, b"", at_fdcwd, os.fsencode(name), at_empty_path) == 0:
        return True
    if ctypes.get_errno() == errno.EEXIST:
        return False
    raise _CannotLink


def _replace(name: Path | str, target: Path) -> None:
    try:
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _copy_file(source: int, destination: int) -> None:
    """Copy all of file ``source`` into ``destination``, inside the kernel where it can."""
    size = os.fstat(source).st_size
    offset = 0
    while offset < size:
        try:
            done = os.copy_file_range(source, destination, size - offset, offset)
        except (AttributeError, OSError):
            done = os.write(destination, os.pread(source, min(1 << 24, size - offset), offset))
        if done == 0:
            break
        offset += done

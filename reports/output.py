"""Writing results: atomically to files, safely to stdout, with a progress bar for batches.

An output never destroys anything: a symlink is written through, a FIFO or character device
is written as a stream, a folder or one of the inputs is refused; failures of the environment
(read-only folder, full disk) are one plain OutputError naming the target.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator


IS_FOLDER = "是文件夹，请指定报告文件 is a folder; name a file for the report"


class OutputError(Exception):
    """The report cannot be written where asked: the message names the target and the reason."""


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def check_target(path: str, inputs: Iterable[str] = ()) -> None:
    """Refuse, before anything is read, an output that is a folder or one of the inputs."""
    if not path:
        raise OutputError("-o/--output 需要一个文件名 needs a file name")
    real = Path(os.path.realpath(path))
    if real.is_dir():
        raise OutputError(f"{path}: {IS_FOLDER}")
    if not real.exists():
        return
    for name in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(real, name):
                raise OutputError(f"{path}: 是被检查的文件之一，报告会覆盖它 is one of the documents being checked; the report would overwrite it")


def write_atomic(path: str, text: str) -> None:
    """Write the report to `path` without ever leaving half of it, nor replacing a link or device."""
    with stream(path) as write:
        write(text)


@contextlib.contextmanager
def stream(path: str | None) -> Iterator[Callable[[str], None]]:
    """A writer for a report given piece by piece (--format jsonl): standard output is written as
    it comes; a file is written beside the target and renamed into place only when the block ends
    without error, so an interrupted run leaves no partial report; a FIFO or device is a stream."""
    if not path:
        yield write_stdout
        return
    real = Path(os.path.realpath(path))  # a symlink is written through, never replaced
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
        try:  # /dev/stdout into a pipe: the link resolves to "pipe:[…]", only the link itself opens
            if not stat.S_ISREG(os.stat(path).st_mode):
                real, mode = Path(path), os.stat(path).st_mode
        except OSError:
            pass
    except OSError as exc:
        raise OutputError(f"无法写入 cannot write {path}: {_reason(exc)}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{path}: {IS_FOLDER}")
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        raise OutputError(f"{path}: 不是普通文件、管道或终端，拒绝写入 is not a regular file, a pipe or a terminal; refused")
    try:
        if mode is not None and not stat.S_ISREG(mode):  # a pipe or a device: written as a stream
            with open(real, "w", encoding="utf-8", newline="") as handle:
                yield handle.write
        else:
            real.parent.mkdir(parents=True, exist_ok=True)
            with _replacing(real) as handle:
                yield handle.write
    except OSError as exc:
        raise OutputError(f"无法写入 cannot write {path}: {_reason(exc)}") from None


@contextlib.contextmanager
def _replacing(target: Path):
    """Temporary file beside the target, then rename: a reader never sees half a report."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    PENDING.add(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        PENDING.discard(tmp)


PENDING: set[str] = set()  # temporary files being written: removed however the run ends


def remove_pending() -> None:
    """Remove half-written temporary files (a Ctrl-C that landed inside the clean-up itself)."""
    for tmp in list(PENDING):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        PENDING.discard(tmp)


def write_stdout(text: str) -> None:
    """Print UTF-8 whatever the terminal's locale says; a full disk is an OutputError. A reader
    that stopped early (`| head`) gets nothing more, and the caller's exit status stands: a
    closed pipe does not make the problems found go away."""
    stream = sys.stdout
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            stream.buffer.write(text.encode("utf-8"))
        stream.flush()
    except BrokenPipeError:
        drop_stdout()
    except OSError as exc:
        drop_stdout()
        raise OutputError(f"无法写入标准输出 cannot write to standard output: {_reason(exc)}") from None


def drop_stdout() -> None:
    """After a failed write or a closed pipe, what is still buffered goes nowhere (no second
    error at exit)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@contextlib.contextmanager
def progress(total: int, enabled: bool = True) -> Iterator[Callable[[str], None] | None]:
    """A rich progress bar on stderr for many documents; nothing for one or in pipes."""
    if not enabled or total < 3 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True, redirect_stdout=False,
                  redirect_stderr=False) as bar:  # a report streamed to stdout stays on stdout
        task = bar.add_task("检查中 checking", total=total)
        yield lambda path: bar.advance(task)

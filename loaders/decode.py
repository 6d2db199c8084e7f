"""Bytes -> text. UTF-8 (with or without BOM) is read directly; anything else (GBK/GB18030,
UTF-16, ...) is detected by charset-normalizer, which is imported only then."""

from __future__ import annotations

from pathlib import Path

from budget_audit.loaders.model import LoadError

# Size limits by what the checks handle, not by bytes: a budget-system detail export runs to
# hundreds of thousands of rows; what passes these is checked within bounded memory.
MAX_LINES = 2_000_000        # lines of a text export
MAX_CELLS = 40_000_000       # fields (tab-separated) over the whole file
MAX_LINE_BYTES = 8 << 20     # one line: no printed row is megabytes long
CHUNK = 1 << 20


def read_text(path: str) -> str:
    """The decoded text of a file, or LoadError naming what is wrong with it."""
    p = Path(path)
    if not p.exists():
        raise LoadError(path, "file not found")
    if p.is_dir():
        raise LoadError(path, "is a folder, not a document")
    if p.stat().st_size == 0:
        raise LoadError(path, "file is empty")
    return decode(_bounded(p, path), path)


def _bounded(p: Path, path: str) -> bytes:
    """The file's bytes, read in chunks that are counted first: a file over a limit is refused as
    soon as it is seen to be, never loaded whole. (UTF-16/32 are counted on their bytes, which can
    only overcount lines; the limits are far above any real export.)"""
    chunks, lines, fields, run = [], 0, 0, 0
    with open(p, "rb") as handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(b"\n")
            fields += chunk.count(b"\t")
            last = chunk.rfind(b"\n")
            run = run + len(chunk) if last < 0 else len(chunk) - last - 1
            if lines > MAX_LINES:
                raise LoadError(path, f"more than {MAX_LINES:,} lines; larger exports are refused")
            if lines + fields > MAX_CELLS:
                raise LoadError(path, f"more than {MAX_CELLS:,} cells; larger exports are refused")
            if run > MAX_LINE_BYTES:
                raise LoadError(path, f"a line longer than {MAX_LINE_BYTES >> 20} MiB is refused", lines + 1)
            chunks.append(chunk)
    return b"".join(chunks)


def _strict(data: bytes, encoding: str, path: str) -> str:
    """A file whose byte-order mark names its encoding: a byte that does not fit is named."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise LoadError(path, f"not valid {encoding.upper()} although it starts with a {encoding.upper()} "
                              f"byte-order mark (byte {exc.start})", line) from None


def decode(data: bytes, path: str = "<bytes>") -> str:
    """Decode bytes of unknown encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: FF FE starts both
        return _strict(data, "utf-32", path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a UTF-8 file cut off inside its last character is still UTF-8
        text = data[: exc.start].decode("utf-8") if exc.start >= len(data) - 3 else None
    if text is not None:
        if b"\x00" in data and "\x00" in text:  # the bytes first: found at memchr speed
            raise LoadError(path, "binary file (contains NUL bytes), not a text export")
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "gbk", "utf_16", "utf_16_le", "utf_16_be", "big5"]).best()
    if best is None:
        raise LoadError(path, "not a text file in any known encoding (binary?)")
    return str(best)

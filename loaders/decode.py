"""Bytes -> text. UTF-8 (with or without BOM) is read directly; anything else (GBK/GB18030,
UTF-16, ...) is detected by charset-normalizer, which is imported only then."""

from __future__ import annotations

from pathlib import Path

from budget_audit.loaders.model import LoadError

MAX_BYTES = 50 * 1024 * 1024  # a disclosure export is well under 1 MB; refuse what is absurd


def read_text(path: str) -> str:
    """The decoded text of a file, or LoadError naming what is wrong with it."""
    p = Path(path)
    if not p.exists():
        raise LoadError(path, "file not found")
    if p.is_dir():
        raise LoadError(path, "is a folder, not a document")
    size = p.stat().st_size
    if size == 0:
        raise LoadError(path, "file is empty")
    if size > MAX_BYTES:
        raise LoadError(path, f"file is {size // (1024 * 1024)} MiB; larger than {MAX_BYTES // (1024 * 1024)} MiB is refused")
    data = p.read_bytes()
    return decode(data, path)


def decode(data: bytes, path: str = "<bytes>") -> str:
    """Decode bytes of unknown encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a UTF-8 file cut off inside its last character is still UTF-8
        text = data[: exc.start].decode("utf-8") if exc.start >= len(data) - 3 else None
    if text is not None:
        if "\x00" in text:
            raise LoadError(path, "binary file (contains NUL bytes), not a text export")
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "gbk", "utf_16", "utf_16_le", "utf_16_be", "big5"]).best()
    if best is None:
        raise LoadError(path, "not a text file in any known encoding (binary?)")
    return str(best)

"""Decide a text file's encoding once for the whole file, and refuse what would read wrong.

Rules (every refusal names the line and byte offset, counted from 0, where the file breaks):
- A byte-order mark decides: UTF-8 (the mark is skipped) or UTF-16 (converted to UTF-8 first).
- A declared encoding (`encoding=`) is used as declared; a byte it cannot decode is refused.
- Otherwise the file is UTF-8 when all of it is valid UTF-8. A file whose non-ASCII bytes are never
  valid UTF-8 sequences is wholly in a single-byte encoding: Windows-1252 (the same text as
  Latin-1) or Mac Roman, told apart by `tabular.charsets` from how its accented letters stand in
  words; when they cannot be told apart the file is refused (declare the encoding). A file that
  is UTF-8 in one place and not in another is refused: decoding it whole either way would corrupt
  the other part (München → MÃ¼nchen), and one stray byte is never re-decoded silently.
- A NUL byte anywhere is refused (a parser would cut the text there or keep it as text).

`scan_text` reads the file once, in blocks (a file given by path is never held whole), and also
returns what the reader needs next: whether the file has quote characters, and its line count.
"""

from __future__ import annotations

import codecs
import mmap
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from errors import Problem, TableError
from tabular.charsets import choose, refusal

BLOCK_BYTES = 1024 * 1024
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_NON_ASCII_LINE = re.compile(rb"^[^\n]*[\x80-\xff][^\n]*", re.MULTILINE)
"""A line holding a non-ASCII byte. Anchored at line starts: unanchored, a long ASCII line costs
quadratic time (each of its positions is tried to its end)."""
SAMPLE_LINES = 2000
"""Lines holding non-ASCII bytes kept to tell single-byte encodings apart."""
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class TextScan:
    encoding: str
    """'utf-8', 'cp1252', 'mac_roman' or the declared codec's name (a UTF-8 BOM is not part of the name)."""
    bom: int
    """Bytes of byte-order mark at the start (skipped)."""
    quotes: bool
    newlines: int


def blocks(source: bytes | Path) -> Iterator[bytes]:
    """The file in blocks of `BLOCK_BYTES`."""
    if isinstance(source, bytes):
        for start in range(0, len(source), BLOCK_BYTES):
            yield source[start : start + BLOCK_BYTES]
        return
    with source.open("rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            yield block


def codec(encoding: str, bom: int) -> str:
    """Python's codec for a scanned file: the UTF-8 byte-order mark is skipped when present."""
    return "utf-8-sig" if encoding == "utf-8" and bom else encoding


def utf16_to_utf8(source: bytes | Path, label: str) -> bytes:
    data = source if isinstance(source, bytes) else source.read_bytes()
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError(f"{label} cannot be decoded", [Problem(
            f"{label} byte {exc.start}", "the file starts with a UTF-16 byte-order mark but is not valid UTF-16",
            "save it again as CSV UTF-8")]) from None


@contextmanager
def _buffer(source: bytes | Path) -> Iterator[bytes | mmap.mmap]:
    """The whole file as a buffer: the bytes, or the file mapped into memory (never copied)."""
    if isinstance(source, bytes) or source.stat().st_size == 0:
        yield source if isinstance(source, bytes) else b""
        return
    with source.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        yield mapped


def scan_text(source: bytes | Path, label: str, declared: str | None = None) -> TextScan:
    """One pass over the file: NUL bytes, the encoding, quotes and line count. Bytes are looked
    at through numpy views of the file (no copy); only non-ASCII blocks are decoded."""
    with _buffer(source) as data:
        found = _scan_blocks(data, declared)
    if found.nul is not None:
        _refuse(source, label, found.nul, "a NUL byte (the file is binary, or UTF-16 without a byte-order mark)")
    if declared is not None:
        if found.not_decoded is not None:
            _refuse(source, label, found.not_decoded,
                    f"byte 0x{_byte(source, found.not_decoded):02X} is not {declared} as the mapping declares")
        return TextScan(declared, found.bom, found.quotes, found.newlines)
    if found.not_decoded is None:
        return TextScan("utf-8", found.bom, found.quotes, found.newlines)
    if found.utf8_text is not None:
        _refuse(source, label, found.not_decoded, f"byte 0x{_byte(source, found.not_decoded):02X} is not UTF-8, but line "
                                                  f"{_line(source, found.utf8_text)} is UTF-8 text: the file mixes two encodings")
    verdict = choose(found.samples)
    if verdict.encoding is None:
        byte = _byte(source, found.not_decoded)
        _refuse(source, label, found.not_decoded, refusal(verdict, byte), "declare the encoding in a mapping file (encoding: cp1252, or mac_roman), or "
                "save the file again as CSV UTF-8")
    return TextScan(verdict.encoding, found.bom, found.quotes, found.newlines)


@dataclass
class _Found:
    """What one pass found; offsets are None when not found."""

    bom: int = 0
    quotes: bool = False
    newlines: int = 0
    nul: int | None = None
    not_decoded: int | None = None
    """First byte the declared encoding (or UTF-8) cannot decode."""
    utf8_text: int | None = None
    """A valid multi-byte UTF-8 sequence."""
    samples: list[bytes] = field(default_factory=list)
    """Lines holding non-ASCII bytes (up to SAMPLE_LINES)."""


def _scan_blocks(data: bytes | mmap.mmap, declared: str | None) -> _Found:
    """Only plain numbers leave this function: nothing may keep a view of a mapped file."""
    found = _Found(bom=3 if data[:3] == codecs.BOM_UTF8 else 0, quotes=data.find(b'"') >= 0)
    found.nul = nul if (nul := data.find(b"\x00")) >= 0 else None
    if found.nul is not None:
        return found
    decoder = codecs.getincrementaldecoder(declared or "utf-8")()
    with memoryview(data) as view:
        for offset in range(0, len(data), BLOCK_BYTES):
            found.newlines += _scan_block(view[offset : offset + BLOCK_BYTES], offset, decoder, found)
    if found.not_decoded is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            found.not_decoded = len(data) - len(getattr(decoder, "buffer", b""))
    return found


def _scan_block(block: memoryview, offset: int, decoder, found: _Found) -> int:
    """Line feeds in `block`; decode it and note what breaks when it is not ASCII."""
    with block:
        numbers = np.frombuffer(block, dtype=np.uint8)
        newlines = int(np.count_nonzero(numbers == 10))
        ascii_only = numbers.max(initial=0) < 0x80
        del numbers
        if ascii_only:
            return newlines
        if found.not_decoded is None:
            pending = len(getattr(decoder, "buffer", b""))
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                found.not_decoded = offset - pending + exc.start
        if found.utf8_text is None and (match := _UTF8_SEQUENCE.search(block)):
            found.utf8_text = offset + match.start()
        if len(found.samples) < SAMPLE_LINES:
            found.samples += [bytes(m) for m in _NON_ASCII_LINE.findall(block, 0)[: SAMPLE_LINES - len(found.samples)]]
        match = None
    return newlines


def _refuse(source, label: str, offset: int, message: str,
            hint: str = "save the file again as CSV UTF-8, or declare its encoding in a mapping file (encoding: ...)") -> None:
    raise TableError(f"{label} cannot be decoded", [Problem(_where(source, label, offset), message, hint)])


def _where(source, label: str, offset: int) -> str:
    return f"{label} line {_line(source, offset)}, byte {offset}"


def _line(source: bytes | Path, offset: int) -> int:
    """1-based line holding byte `offset` (lines end at LF, or at CR in a file without LF)."""
    seen = feeds = returns = 0
    for block in blocks(source):
        part = block[: max(0, offset - seen)]
        feeds += part.count(b"\n")
        returns += part.count(b"\r")
        seen += len(block)
        if seen >= offset:
            break
    return (feeds or returns) + 1


def _byte(source: bytes | Path, offset: int) -> int:
    if isinstance(source, bytes):
        return source[offset]
    with source.open("rb") as handle:
        handle.seek(offset)
        return handle.read(1)[0]

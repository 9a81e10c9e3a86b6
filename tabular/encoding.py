"""Decide a text file's encoding once for the whole file, and refuse what would read wrong.

Rules (every refusal names the line and byte offset, counted from 0, where the file breaks):
- A byte-order mark decides: UTF-8 (the mark is skipped) or UTF-16 (converted to UTF-8 first).
- A declared encoding (`encoding=`) is used as declared; a byte it cannot decode is refused.
- Otherwise the file is UTF-8 when all of it is valid UTF-8, and Windows-1252 when its non-ASCII
  bytes are never valid UTF-8 sequences. A file that is UTF-8 in one place and not in another is
  refused: decoding it whole either way would corrupt the other part (München → MÃ¼nchen).
- A NUL byte anywhere is refused (a parser would cut the text there or keep it as text).

`scan_text` reads the file once, in blocks (a file given by path is never held whole), and also
returns what the reader needs next: whether the file has quote characters, and its line count.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from errors import Problem, TableError

BLOCK_BYTES = 8 * 1024 * 1024
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class TextScan:
    encoding: str
    """'utf-8', 'cp1252' or the declared codec's name (a UTF-8 BOM is not part of the name)."""
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


def utf16_to_utf8(source: bytes | Path, label: str) -> bytes:
    data = source if isinstance(source, bytes) else source.read_bytes()
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError(f"{label} cannot be decoded", [Problem(
            f"{label} byte {exc.start}", "the file starts with a UTF-16 byte-order mark but is not valid UTF-16",
            "save it again as CSV UTF-8")]) from None


def scan_text(source: bytes | Path, label: str, declared: str | None = None) -> TextScan:
    """One pass over the file: NUL bytes, the encoding, quotes and line count."""
    offset = 0
    bom = 0
    quotes = False
    newlines = 0
    decoder = codecs.getincrementaldecoder(declared or "utf-8")()
    not_utf8: int | None = None  # offset of the first byte that is not valid UTF-8
    utf8_text: int | None = None  # offset of a valid multi-byte UTF-8 sequence
    undefined: int | None = None  # offset of the first byte Windows-1252 leaves undefined
    for block in blocks(source):
        if offset == 0 and block.startswith(codecs.BOM_UTF8):
            bom = 3
        nul = block.find(b"\x00")
        if nul >= 0:
            _refuse(source, label, offset + nul, "a NUL byte (the file is binary, or UTF-16 without a byte-order mark)")
        quotes = quotes or b'"' in block
        newlines += block.count(b"\n")
        if block.isascii():
            offset += len(block)
            continue
        if declared is not None:
            _decode_declared(source, label, decoder, block, offset, declared)
        elif not_utf8 is None:
            pending = len(decoder.buffer)
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                not_utf8 = offset - pending + exc.start
        if utf8_text is None and (found := _UTF8_SEQUENCE.search(block)):
            utf8_text = offset + found.start()
        if undefined is None and (found := _CP1252_UNDEFINED.search(block)):
            undefined = offset + found.start()
        offset += len(block)
    if declared is not None:
        return TextScan(declared, bom, quotes, newlines)
    if not_utf8 is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            not_utf8 = offset - len(decoder.buffer)
    if not_utf8 is None:
        return TextScan("utf-8", bom, quotes, newlines)
    if utf8_text is not None:
        _refuse(source, label, not_utf8, f"byte 0x{_byte(source, not_utf8):02X} is not UTF-8, but line "
                                         f"{_line(source, utf8_text)} is UTF-8 text: the file mixes two encodings")
    if undefined is not None:
        _refuse(source, label, undefined, f"byte 0x{_byte(source, undefined):02X} is neither UTF-8 nor Windows-1252")
    return TextScan("cp1252", bom, quotes, newlines)


def _decode_declared(source, label, decoder, block: bytes, offset: int, declared: str) -> None:
    pending = len(getattr(decoder, "buffer", b""))
    try:
        decoder.decode(block)
    except UnicodeDecodeError as exc:
        at = offset - pending + exc.start
        _refuse(source, label, at, f"byte 0x{_byte(source, at):02X} is not {declared} as the mapping declares")


def _refuse(source, label: str, offset: int, message: str) -> None:
    raise TableError(f"{label} cannot be decoded", [Problem(
        _where(source, label, offset), message, "save the file again as CSV UTF-8, or declare its encoding")])


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

"""Refuse hostile or mislabelled files before any parser sees them, fast and with a clear reason.

- Size: anything over the upload limit (`limits.max_file_bytes`) is refused unread.
- Binary content named as text: NUL bytes or many control characters in the first
  `limits.SNIFF_BYTES`, or the signature of a zip/XLSX, legacy .xls (OLE), PDF or gzip file.
- XLSX zip bombs: the zip directory is checked before decompressing anything: at most
  `MAX_ZIP_ENTRIES` parts, `MAX_UNCOMPRESSED_BYTES` in total, no part over 1 MB that expands more
  than `MAX_RATIO` times, and a shared-strings part within `shared_strings_limit(size)`.
- XML entity bombs: every XML part's prolog is read (first 64 KB) and a DOCTYPE is refused; an
  XLSX never needs one, and without a DTD no entity can be declared or expanded.

Limits are read from `tabular.limits` at call time (tests lower them).
"""

from __future__ import annotations

import io
import re
import zipfile

from errors import Problem, TableError
from tabular import limits

PROLOG_BYTES = 65536
_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an XLSX workbook?)",
    b"\xd0\xcf\x11\xe0": "a legacy Excel .xls or other OLE file",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# Skip the XML declaration, processing instructions, comments and spaces; what follows is either
# the root element or a DOCTYPE.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


def check_size(size: int, label: str) -> None:
    limit = limits.max_file_bytes()
    if size > limit:
        raise TableError(
            f"{label} is too large",
            [Problem(label, f"{size / 1024**2:.1f} MB is over the {limit / 1024**2:.0f} MB limit",
                     "split the file, or raise SCORECARD_MAX_UPLOAD_MB")],
        )


def check_text(head: bytes, label: str) -> None:
    """Refuse content that is not text (UTF-16 with a BOM is text and is accepted); `head` is the
    start of the file (at least `SNIFF_BYTES` when the file is that long)."""
    head = head[: limits.SNIFF_BYTES]
    for signature, what in _SIGNATURES.items():
        if head.startswith(signature):
            hint = "save it as .xlsx and upload that" if b"PK" in signature else "export the sheet as CSV or XLSX"
            raise TableError(f"{label} is not a CSV file", [Problem(label, f"the content is {what}", hint)])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    if b"\x00" in head or len(_CONTROL.findall(head)) > max(8, len(head) // 100):
        raise TableError(
            f"{label} is not a CSV file",
            [Problem(label, "the content is binary, not text", "export the sheet as CSV (UTF-8) or XLSX")],
        )


def open_xlsx(data: bytes, label: str) -> zipfile.ZipFile:
    """Open an XLSX container after checking its directory and XML prologs."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(f"{label} is not an Excel workbook",
                         [Problem(label, "legacy .xls or password-protected workbook", "save it as a plain .xlsx")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise TableError(f"{label} is not an Excel workbook",
                         [Problem(label, "the file is not a valid XLSX (zip) container", "save it again as .xlsx from Excel")]) from None
    _check_directory(entries, len(data), label)
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels", ".vml")):
            _check_prolog(archive, entry, label)
    return archive


def _check_directory(entries: list[zipfile.ZipInfo], size: int, label: str) -> None:
    if len(entries) > limits.MAX_ZIP_ENTRIES:
        _bomb(label, f"{len(entries)} parts in the workbook (limit {limits.MAX_ZIP_ENTRIES})")
    total = sum(e.file_size for e in entries)
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        _bomb(label, f"{total / 1024**3:.1f} GB once decompressed (limit {limits.MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GB)")
    for e in entries:
        if e.file_size > 1024**2 and e.file_size > limits.MAX_RATIO * max(e.compress_size, 1):
            _bomb(label, f"part {e.filename} expands {e.file_size // max(e.compress_size, 1)} times (limit {limits.MAX_RATIO})")
        if e.filename.lower().endswith("sharedstrings.xml") and e.file_size > limits.shared_strings_limit(size):
            _bomb(label, f"part {e.filename} expands to {e.file_size / 1024**2:.0f} MB of text "
                         f"(limit {limits.shared_strings_limit(size) / 1024**2:.0f} MB for a file of this size)")


def _check_prolog(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, label: str) -> None:
    try:
        with archive.open(entry) as part:
            head = part.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise TableError(f"{label} is damaged", [Problem(f"{label}: {entry.filename}", f"cannot be read ({exc})")]) from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    end = _PROLOG.match(head).end()
    rest = head[end:]
    if rest.startswith(b"<!"):
        raise TableError(f"{label} is refused",
                         [Problem(f"{label}: {entry.filename}", "the XML declares a DOCTYPE (possible entity bomb)",
                                  "workbooks saved by Excel or LibreOffice never contain one; save the file again")])
    if not rest and len(head) == PROLOG_BYTES:
        raise TableError(f"{label} is refused",
                         [Problem(f"{label}: {entry.filename}", "the XML prolog is unusually long", "save the file again from Excel")])


def _bomb(label: str, detail: str) -> None:
    raise TableError(f"{label} is refused", [Problem(label, f"possible zip bomb: {detail}", "save the file again from Excel")])

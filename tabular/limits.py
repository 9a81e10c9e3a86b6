"""The one set of limits every table read obeys (delimited text and XLSX alike), and why.

A file meets them in this order; each refusal is a `TableError` naming the file and the limit
(docs/evidence.md, "Reading files", has the table):

- Size: at most `config.max_upload_bytes()` (SCORECARD_MAX_UPLOAD_MB, default 200 MB), refused
  before a byte is parsed.
- Text: no NUL byte anywhere; one encoding for the whole file (`tabular.encoding`).
- Columns: at most `MAX_COLUMNS` (Excel's own limit) in the header.
- Workbook container (`tabular.safety`): at most `MAX_ZIP_ENTRIES` parts and
  `MAX_UNCOMPRESSED_BYTES` once decompressed; no part over 1 MB that expands more than
  `MAX_RATIO` times; the shared-strings part (held whole by the XLSX engine) at most
  `shared_strings_limit(size)`; no DOCTYPE in any XML part (no entity can be declared).
- Worksheet: the used range (the bounding box of the cells written, measured by scanning the
  sheet's XML before the XLSX engine builds anything, whatever its `<dimension>` claims) spans at
  most `sheet_cell_limit(size)` cells, so a small file cannot claim a huge sheet (the engine
  allocates the whole box: one cell at XFD1048576 would be 512 GB).
- Problems: `MAX_ROW_PROBLEMS` malformed rows listed, all counted.

Together these bound the peak memory of reading and validating a file by its size:
`TEXT_MEMORY_MULTIPLE` × size + `MEMORY_CONSTANT_MB` for delimited text (a text file with too
many lines for its size is read record by record, keeping only rows with data), and
`WORKBOOK_MEMORY_MULTIPLE` × size + `MEMORY_CONSTANT_MB` for a workbook (compression makes each
byte of an XLSX worth more cells). tests/security/test_memory.py holds hostile files to it.
"""

from __future__ import annotations

import config

MAX_COLUMNS = 16_384
MAX_ZIP_ENTRIES = 10_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_RATIO = 200
FREE_SHARED_STRINGS_BYTES = 32 * 1024**2
SHARED_STRINGS_PER_BYTE = 16
MAX_SHARED_STRINGS_BYTES = 512 * 1024**2
FREE_SHEET_CELLS = 2_000_000
SHEET_CELLS_PER_BYTE = 1
MAX_SHEET_CELLS = 25_000_000

MAX_ROW_PROBLEMS = 1000
"""Malformed rows listed by a reader (all are counted)."""
SNIFF_BYTES = 8192
"""Start of a file checked for binary content."""
SAMPLE_BYTES = 65536
"""Start of a text file from which the delimiter and header row are chosen."""
HEADER_SEARCH_ROWS = 30
"""Rows searched for the header row."""

TEXT_MEMORY_MULTIPLE = 32
WORKBOOK_MEMORY_MULTIPLE = 160
MEMORY_CONSTANT_MB = 400


def max_file_bytes() -> int:
    """Largest file read, in bytes (the upload limit)."""
    return config.max_upload_bytes()


def sheet_cell_limit(file_size: int) -> int:
    """Most cells a worksheet's used range may span in a workbook of `file_size` bytes."""
    return min(MAX_SHEET_CELLS, FREE_SHEET_CELLS + SHEET_CELLS_PER_BYTE * file_size)


def shared_strings_limit(file_size: int) -> int:
    """Most bytes the shared-strings part may expand to in a workbook of `file_size` bytes."""
    return min(MAX_SHARED_STRINGS_BYTES, FREE_SHARED_STRINGS_BYTES + SHARED_STRINGS_PER_BYTE * file_size)

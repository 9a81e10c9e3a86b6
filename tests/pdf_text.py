"""The text of a PDF's pages, as the tests read it: poppler's `pdftotext`.

Reading text back is how the tests check what a report says. pypdf's own extraction took about
13 s of the export tests' time (270 pages, Python); pdftotext reads the same pages in well under a
second. Each PDF is read once however many tests look at it (the result is kept by content).
"""

from __future__ import annotations

import subprocess
from functools import lru_cache

PDFTOTEXT = "/usr/bin/pdftotext"  # Debian's poppler-utils (scripts/setup.sh --test)


@lru_cache(maxsize=64)
def page_texts(pdf: bytes) -> tuple[str, ...]:
    """Each page's text in the order it is drawn (`-raw`, as pypdf reads it: a table row stays a
    row), every page ended by a form feed."""
    done = subprocess.run([PDFTOTEXT, "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, timeout=120,
                          check=True)
    return tuple(done.stdout.decode("utf-8").split("\f")[:-1])


def text(pdf: bytes) -> str:
    """Every page's text, pages joined by a space."""
    return " ".join(page_texts(pdf))

"""The mapping's `where`: keep only the rows whose cell in a column is (or is not) one of some
values. Cells are compared like enumeration values (case, spaces and punctuation ignored), once
per distinct value; blank cells match no value. Rows left out are counted, never validated. An
optional filter whose column the file does not have keeps every row (the reader warns)."""

from __future__ import annotations

import numpy as np

from evidence.convert import factorize
from evidence.mapping_rules import RowFilter
from evidence.table import RawTable
from evidence.values import as_text, lookup_key


def apply_where(raw: RawTable, filters: tuple[RowFilter, ...]) -> RawTable:
    """`raw` without the rows the filters leave out (all filters must hold)."""
    if not filters or not len(raw):
        return raw
    keep = np.ones(len(raw), dtype=bool)
    for rule in filters:
        if rule.keep is None or rule.header not in raw.extras:
            continue  # cancelled, or optional and the file lacks the column
        codes, uniques = factorize(raw.extras[rule.header])
        hits = np.array([lookup_key(as_text(u) or "") in rule.keys for u in uniques] + [False], dtype=bool)[codes]
        keep &= hits if rule.keep else ~hits
    left_out = int((~keep).sum())
    table = raw.subset(keep)
    table.filtered_rows = raw.filtered_rows + left_out
    return table

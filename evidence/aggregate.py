"""Counting helpers behind the metric calculations: tallies, overall and per group, vectorised.

A `Context` holds the frames (already cut at the as-of date, evidence.as_of) and the as-of date,
and caches what several metrics reuse: group codes per column (site, environment) and `Scope`s,
the rows of a denominator (e.g. the critical assets) with their group codes already selected.
Per-group counts are `numpy.bincount`s over small integer codes, so a million rows cost a few
milliseconds per metric, with no hashing. A calculation returns `Computed`: the tally of all its
rows and of each group (evidence.tally), from which every value is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evidence import as_of as dating
from evidence.tally import Tally


@dataclass
class Computed:
    tally: Tally
    by_environment: dict[str, Tally] = field(default_factory=dict)
    by_site: dict[str, Tally] = field(default_factory=dict)
    parts: dict[str, float | None] = field(default_factory=dict)

    @property
    def value(self) -> float | None:
        return self.tally.value


@dataclass
class Scope:
    """The rows of one denominator (`index`), with their group numbers (0 = blank) computed once."""

    context: Context
    dataset: str
    index: np.ndarray
    _codes: dict[str, np.ndarray] = field(default_factory=dict)

    def codes(self, column: str) -> tuple[np.ndarray, list[str]]:
        raw, renumber, names = self.context.groups(self.dataset, column)
        if column not in self._codes:
            self._codes[column] = renumber[raw[self.index].astype(np.intp) + 1]
        return self._codes[column], names


@dataclass
class Context:
    frames: dict[str, pd.DataFrame]
    as_of: date
    _groups: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, list[str]]] = field(default_factory=dict)
    _scopes: dict[tuple[str, str], Scope] = field(default_factory=dict)
    _cache: dict[str, object] = field(default_factory=dict)

    @property
    def as_of64(self) -> np.datetime64:
        return np.datetime64(self.as_of, "s")

    def age_days(self, column: pd.Series) -> np.ndarray:
        """as_of − date in whole days (NaN where the date is blank)."""
        return dating.age_days(column, self.as_of)

    def cached(self, key: str, make: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def scope(self, dataset: str, key: str, mask: np.ndarray) -> Scope:
        """The denominator rows `mask` of `dataset`, cached under `key`."""
        if (dataset, key) not in self._scopes:
            self._scopes[(dataset, key)] = Scope(self, dataset, np.flatnonzero(mask))
        return self._scopes[(dataset, key)]

    def groups(self, dataset: str, column: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(raw code per row, -1 when blank; table from raw code + 1 to group number, 0 = blank;
        names of the groups that occur, sorted), computed once per column."""
        if (dataset, column) not in self._groups:
            self._groups[(dataset, column)] = _group_codes(self.frames[dataset][column])
        return self._groups[(dataset, column)]


def _group_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str]]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        raw = series.cat.codes.to_numpy()
        names = [str(c) for c in series.cat.categories]
        occurs = np.bincount(raw.astype(np.intp) + 1, minlength=len(names) + 1)[1:] > 0
    elif isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        encoded = pc.dictionary_encode(series.array.__arrow_array__())
        encoded = encoded.combine_chunks() if encoded.num_chunks else pa.array([], pa.dictionary(pa.int32(), pa.string()))
        raw = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        names = [str(v) for v in encoded.dictionary.to_pylist()]
        occurs = np.ones(len(names), dtype=bool)  # a dictionary holds only values that occur
    else:
        raw, uniques = pd.factorize(series, use_na_sentinel=True)
        names, occurs = [str(u) for u in uniques], np.ones(len(uniques), dtype=bool)
    # Groups that occur, sorted by name, numbered from 1 (0 = blank).
    order = sorted((n, i) for i, n in enumerate(names) if occurs[i])
    renumber = np.zeros(len(names) + 1, dtype=np.int32)
    for new, (_, old) in enumerate(order, start=1):
        renumber[old + 1] = new
    return raw, renumber, [n for n, _ in order]


def share(scope: Scope, numerator: np.ndarray, groups: tuple[str, ...] = ()) -> Computed:
    """Ratio tallies of (rows of `scope` where `numerator`) over (rows of `scope`), overall and per
    group; a group that occurs in the dataset but has no row in the scope gets an empty
    denominator (value None)."""
    hits = numerator[scope.index]
    out = Computed(Tally.ratio(int(hits.sum()), len(scope.index)))
    for column in groups:
        codes, names = scope.codes(column)
        size = len(names) + 1
        den = np.bincount(codes, minlength=size)[1:]
        num = np.bincount(codes[hits], minlength=size)[1:]
        target = out.by_environment if column == "environment" else out.by_site
        target.update({k: Tally.ratio(int(n), int(d)) for k, n, d in zip(names, num, den, strict=True)})
    return out


def count(rows: int | np.integer) -> Computed:
    """A count of rows (a sum tally)."""
    return Computed(Tally.count(int(rows)))


def median(values: np.ndarray) -> Computed:
    """The median of the non-blank values (None without any), as a distribution that pools."""
    return Computed(Tally.distribution(values))


def largest(values: np.ndarray) -> Computed:
    """The maximum of the non-blank values (None without any)."""
    return Computed(Tally.largest(values))


def present(series: pd.Series) -> np.ndarray:
    return series.notna().to_numpy()


def is_one_of(series: pd.Series, *values: str) -> np.ndarray:
    """Rows whose value is one of `values` (on a Categorical, compares the small integer codes)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        table = np.zeros(len(series.cat.categories) + 1, dtype=bool)  # slot 0: blank (code -1)
        table[[i + 1 for i, c in enumerate(series.cat.categories) if c in values]] = True
        return table[series.cat.codes.to_numpy().astype(np.intp) + 1]
    return series.isin(values).to_numpy()

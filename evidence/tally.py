"""Tallies: what a metric's value is made of, in a form that pools across environments and sites.

A metric declares how it combines (`MetricDefinition.combine`); its calculation yields a `Tally`
of that kind for the whole assessment, for each environment and for each site:
- ratio:  rows meeting the condition (`numerator`) and rows in scope (`denominator`);
          value = 100 × numerator ÷ denominator, None without any row in scope.
- sum:    a count of rows (`total`); value = the count (0 is a value: nothing found).
- max:    the largest value (`maximum`); None without any row.
- median: the distinct values (`values`, ascending) and how many rows have each (`counts`);
          value = the median of those rows, None without any.

`pool` merges tallies of disjoint sets of rows (environments of a site, sites of an enterprise)
into the tally of all those rows at once: Σ numerators over Σ denominators, Σ counts, the largest
maximum, the median of every row. So an enterprise share is the share of all its critical assets,
and its oldest exception is the oldest one anywhere — never a mean of means. A tally is a few
numbers (a median's is one entry per distinct value), so it is kept with the metric (and in the
snapshot of a finalised assessment) and pooling 200 sites costs microseconds, not a re-read of
their rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from pydantic import BaseModel, ConfigDict

from catalog.models import Combine


class Tally(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    combine: Combine
    numerator: float = 0.0
    denominator: float = 0.0
    total: float = 0.0
    maximum: float | None = None
    values: tuple[float, ...] = ()
    counts: tuple[int, ...] = ()

    @classmethod
    def ratio(cls, numerator: float, denominator: float) -> Tally:
        return cls.model_construct(combine="ratio", numerator=float(numerator), denominator=float(denominator))

    @classmethod
    def count(cls, total: float) -> Tally:
        return cls.model_construct(combine="sum", total=float(total))

    @classmethod
    def largest(cls, values: np.ndarray) -> Tally:
        """The maximum of the non-blank `values` (None without any)."""
        known = values[~np.isnan(values)]
        return cls.model_construct(combine="max", maximum=float(known.max()) if len(known) else None)

    @classmethod
    def distribution(cls, values: np.ndarray) -> Tally:
        """The non-blank `values` as distinct values and how many rows have each."""
        known = values[~np.isnan(values)]
        distinct, counts = np.unique(known, return_counts=True)
        return cls.model_construct(combine="median", values=tuple(float(v) for v in distinct),
                                   counts=tuple(int(c) for c in counts))

    @property
    def value(self) -> float | None:
        """The metric's value over the tallied rows, in its unit (None: nothing to measure)."""
        if self.combine == "ratio":
            return 100.0 * self.numerator / self.denominator if self.denominator else None
        if self.combine == "sum":
            return self.total
        if self.combine == "max":
            return self.maximum
        return _median(np.asarray(self.values, dtype=float), np.asarray(self.counts, dtype=np.int64))

    @property
    def rows(self) -> int | None:
        """Rows behind a ratio (its denominator) or a median; None for sums and maxima."""
        if self.combine == "ratio":
            return int(self.denominator)
        if self.combine == "median":
            return int(sum(self.counts))
        return None


def _median(values: np.ndarray, counts: np.ndarray) -> float | None:
    """The median of rows given as distinct ascending values and their counts (np.median's rule:
    the middle row, or the mean of the two middle rows)."""
    n = int(counts.sum())
    if n == 0:
        return None
    ends = np.cumsum(counts)  # rows 0 … ends[i] − 1 have values[i] or less
    low = values[np.searchsorted(ends, (n - 1) // 2, side="right")]
    high = values[np.searchsorted(ends, n // 2, side="right")]
    return float((low + high) / 2)


def pool(tallies: Iterable[Tally | None]) -> Tally | None:
    """The tally of the union of the rows behind `tallies` (None entries are ignored; None when
    nothing is left). All must combine the same way."""
    given = [t for t in tallies if t is not None]
    if not given:
        return None
    kinds = {t.combine for t in given}
    if len(kinds) > 1:
        raise ValueError(f"cannot pool tallies that combine differently: {sorted(kinds)}")
    kind = given[0].combine
    if kind == "ratio":
        return Tally.ratio(sum(t.numerator for t in given), sum(t.denominator for t in given))
    if kind == "sum":
        return Tally.count(sum(t.total for t in given))
    if kind == "max":
        known = [t.maximum for t in given if t.maximum is not None]
        return Tally.model_construct(combine="max", maximum=max(known) if known else None)
    values = np.concatenate([np.asarray(t.values, dtype=float) for t in given])
    counts = np.concatenate([np.asarray(t.counts, dtype=np.int64) for t in given])
    distinct, where = np.unique(values, return_inverse=True)
    summed = np.bincount(where, weights=counts, minlength=len(distinct)).astype(np.int64)
    return Tally.model_construct(combine="median", values=tuple(float(v) for v in distinct),
                                 counts=tuple(int(c) for c in summed))

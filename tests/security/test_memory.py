"""Issue 11.4: reading any file costs at most a documented multiple of its size plus a constant.

Every file of `conftest.hostile_runs` (hostile workbooks, 10 MB of blank lines, megabytes of
delimiter-only or one-cell rows, and valid files) ran in a child limited to 2 GB of address space;
here each run's growth of resident memory is held to the bound docs/evidence.md states:
`limits.TEXT_MEMORY_MULTIPLE` (delimited text) or `WORKBOOK_MEMORY_MULTIPLE` (XLSX) times the
file's size, plus `limits.MEMORY_CONSTANT_MB`.
"""

from __future__ import annotations

import pytest

from tabular import limits
from tests.security.test_workbooks import ENTRIES


def _bound_mb(name: str, size: int) -> float:
    multiple = limits.WORKBOOK_MEMORY_MULTIPLE if name.endswith(".xlsx") else limits.TEXT_MEMORY_MULTIPLE
    return multiple * size / 1024**2 + limits.MEMORY_CONSTANT_MB


@pytest.mark.parametrize("entry", ENTRIES)
def test_memory_stays_within_the_documented_bound(hostile_runs, entry) -> None:
    run = hostile_runs[entry]
    assert run["returncode"] == 0, f"the child died under the 2 GB limit:\n{run['stderr']}"
    over = {name: (r["grew_mb"], round(_bound_mb(name, r["size"]))) for name, r in run["files"].items()
            if r["grew_mb"] > _bound_mb(name, r["size"])}
    assert over == {}


def test_blank_lines_are_cheap(hostile_runs) -> None:
    """The reported case: 10 MB of blank lines reached 4.5 GB."""
    result = hostile_runs["evidence-check"]["files"]["blank-lines.csv"]
    assert result["exit_code"] == 0 and "0 row(s) of asset_inventory" in result["output"]
    assert result["grew_mb"] < 200

"""Refuse a file whose rows are not what the dataset counts, even when every cell is valid.

Restore tests: a backup job's success says nothing about whether the backup can be restored. A
restore-tests file is refused when a column saying what each row's job or session was ("Job Type",
"Session Type", "Backup Type", "Operation"...) calls some rows backup jobs (Backup, Backup Copy,
Incremental, Full, Replica...). The refusal names the column, the first such row and the count;
a mapping's `where` can keep only the restores of a mixed file before this check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from errors import EvidenceError, Problem
from evidence.convert import factorize
from evidence.schemas import header_key
from evidence.table import RawTable
from evidence.values import as_text, lookup_key

KIND_HEADERS = frozenset({
    "type", "jobtype", "sessiontype", "tasktype", "jobkind", "kind", "sessionkind", "operation", "operationtype",
    "action", "backuptype", "backupmode", "jobmode", "activity", "activitytype", "policytype", "schedule", "scheduletype",
})
"""header_keys of columns that say what kind of job or session a row records."""
BACKUP_KINDS = frozenset({
    "backup", "backups", "backupjob", "backupcopy", "backupcopyjob", "backupsync", "vmbackup", "agentbackup",
    "endpointbackup", "filebackup", "filesharebackup", "tapebackup", "backuptotape", "scheduledbackup", "full",
    "fullbackup", "activefull", "syntheticfull", "synthetic", "incremental", "increment", "incr", "differential",
    "diff", "reverseincremental", "forwardincremental", "replica", "replication", "snapshot", "copy", "copyjob",
    "archive", "archiving", "logbackup", "transactionlogbackup",
})
"""lookup_keys of values that name a backup (or copy) job rather than a restore."""
BACKUP_MODES = frozenset({"full", "fullbackup", "activefull", "syntheticfull", "synthetic", "incremental", "increment",
                          "incr", "differential", "diff", "reverseincremental", "forwardincremental", "logbackup",
                          "transactionlogbackup"})
"""The backup kinds that can only describe a job: in the column read as item_type, "backup" is the
kind of item restored, but "Incremental" is a backup run."""


def kind_headers(header: Sequence[Any]) -> list[str]:
    """The header cells of a file that may say what kind of job each row is."""
    return [text for cell in header if (text := as_text(cell)) and header_key(text) in KIND_HEADERS]


def check_restore_rows(raw: RawTable, label: str) -> None:
    """EvidenceError when rows of a restore-tests table are backup jobs, not restores."""
    columns = {raw.extra_headers.get(k, k): c for k, c in raw.extras.items() if header_key(k) in KIND_HEADERS}
    item_type = raw.match.headers.get("item_type")
    columns.update({raw.match.headers[f]: c for f, c in raw.columns.items() if header_key(raw.match.headers[f]) in KIND_HEADERS})
    check_kind_columns(columns, raw.rows, label, modes_only={item_type} if item_type else set())


def check_kind_columns(columns: dict[str, Any], rows, label: str, modes_only: set[str] = frozenset()) -> None:
    """EvidenceError when a job-kind column (header → cells, aligned with `rows`) names backup jobs;
    in the `modes_only` columns (the one read as item_type) only backup modes count."""
    for header, column in columns.items():
        codes, uniques = factorize(column)
        kinds = BACKUP_MODES if header in modes_only else BACKUP_KINDS
        backup = np.array([lookup_key(as_text(u) or "") in kinds for u in uniques] + [False], dtype=bool)[codes]
        if not backup.any():
            continue
        first = int(np.flatnonzero(backup)[0])
        value = as_text(uniques[codes[first]])
        count = int(backup.sum())
        whole = "every row is a backup job" if count == len(backup) else f"{count} of {len(backup)} rows are backup jobs"
        raise EvidenceError(f"{label} records backup jobs, not restore tests", [Problem(
            f"{label} row {rows[first]}, column '{header}'",
            f"'{value}': {whole}, not restores; a backup job that succeeded does not show that "
            "the backup can be restored",
            "export the restore (or SureBackup / recovery verification) sessions instead; in a file with both, keep "
            f"the restores with the mapping's where: {{\"{header}\": {{not: [{value}]}}}}")])

"""The evidence of a bundle being imported: which rows to store for each import, and the problems.

- A bundle whose signature was verified (format 3) brings its rows as Parquet parts made by the
  exporting installation, covered by the signed manifest: each part is read once to check that it
  has the dataset's columns and types and allowed values (one part in memory at a time), their rows
  must add up to the record's row count, and the file's SHA-256 must be the record's. Memory stays
  independent of the number of rows.
- Any other bundle (unverified, or format 1 and 2 without parts) has its rows read again from each
  original file with the mapping recorded on its import, as the original import read them (keeping
  the valid rows): rows nobody vouches for are never taken from the bundle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from errors import Problem, ScorecardError
from evidence.columnar import Part, frame_to_parts, part_problem
from evidence.dataset import check_file, load_mapping, read_dataset
from evidence.mapping import Mapping
from evidence.schemas import DATASETS, get_schema
from services.bundle_format import IMPORTS
from services.bundle_reader import OpenedBundle
from services.evidence_presets import effective_mapping
from storage.records import EvidenceImportData
from tabular.reader import is_workbook

HEAD_BYTES = 1024 * 1024
"""How much of a delimited original file a signed bundle's import reads to check its header."""


@dataclass(frozen=True)
class EvidencePlan:
    """What to store for one import: its file (read from the bundle when stored) and either the
    bundle's parts (paths, with their row counts) or parts derived here from the file."""

    item: EvidenceImportData
    file: str
    bundle_parts: tuple[tuple[str, int], ...] = ()
    derived: tuple[Part, ...] = ()

    @property
    def rows(self) -> int:
        return sum(rows for _, rows in self.bundle_parts) + sum(p.rows for p in self.derived)

    def parts(self, opened: OpenedBundle) -> Iterator[tuple[int, bytes]]:
        """(rows, bytes) of each part in order; the bundle's are read one at a time."""
        yield from ((p.rows, p.data) for p in self.derived)
        yield from ((rows, opened.read(path)) for path, rows in self.bundle_parts)


def plan_evidence(opened: OpenedBundle, evidence: tuple[EvidenceImportData, ...], verified: bool,
                  time_zone: str | None = None) -> tuple[list[EvidencePlan], list[Problem]]:
    """The plan of every import of the bundle and the problems found (nothing is stored yet): a
    SHA-256 or row count that differs from the record, a mangled mapping, a mapping or original
    file that no longer reads (checked for signed bundles too, by its header), a part that is not
    rows of the dataset."""
    plans, problems = [], []
    for i, (item, path, parts) in enumerate(zip(evidence, opened.evidence_files, opened.evidence_parts, strict=True)):
        where = f"{opened.name}: {IMPORTS} [{i}]"
        if opened.sha256(path) != item.sha256:
            problems.append(Problem(f"{where}.sha256", f"the file's SHA-256 is {opened.sha256(path)[:16]}…, not the "
                                                       f"recorded {item.sha256[:16]}…"))
        if item.dataset not in DATASETS:
            continue  # reported by the record rules
        if item.mapping is not None and not (
                {"text", "file_name"} <= set(item.mapping) <= {"text", "file_name", "preset"}
                and all(isinstance(item.mapping[k], str) for k in item.mapping)):
            problems.append(Problem(f"{where}.mapping", "must be {\"file_name\": …, \"text\": …} (and \"preset\": …)"))
            continue
        try:
            if verified and opened.format_version >= 3:
                plan, found = _checked_parts(opened, item, path, parts, where)
            else:
                plan, found = _rows_from_file(opened, item, path, where, time_zone)
        except ScorecardError as error:  # the mapping or the file no longer reads
            problems += [Problem(f"{opened.name}: {path}: {p.location}", p.message, p.hint)
                         for p in error.problems or [Problem("", error.summary)]]
            continue
        plans.append(plan)
        problems += found
    return plans, problems


def _mapping(item: EvidenceImportData) -> Mapping | None:
    """The mapping the import was read with: its own text laid over its preset, as services.evidence_imports does."""
    if item.mapping is None:
        return None
    text, preset = item.mapping["text"], item.mapping.get("preset")
    own = load_mapping(text.encode("utf-8"), item.dataset, item.mapping["file_name"]) if text or not preset else None
    return effective_mapping(item.dataset, preset, own) if preset else own


def _checked_parts(opened: OpenedBundle, item: EvidenceImportData, path: str, parts: tuple[str, ...],
                   where: str) -> tuple[EvidencePlan, list[Problem]]:
    check_file(_head(opened, path, item.file_name), item.dataset, _mapping(item), item.file_name)  # still reads
    schema, counted, problems = get_schema(item.dataset), [], []
    for part in parts:
        rows, problem = part_problem(schema, opened.read(part))
        counted.append((part, rows))
        if problem is not None:
            problems.append(Problem(f"{opened.name}: {part}", f"{problem}; not rows of {item.dataset}"))
    total = sum(rows for _, rows in counted)
    if not problems and total != item.row_count:
        problems.append(Problem(f"{where}.row_count", f"the parts hold {total} row(s), the record says {item.row_count}"))
    return EvidencePlan(item, path, bundle_parts=tuple(counted)), problems


def _rows_from_file(opened: OpenedBundle, item: EvidenceImportData, path: str, where: str,
                    time_zone: str | None) -> tuple[EvidencePlan, list[Problem]]:
    """The import's rows read again from its file with its recorded mapping in the site's time zone
    (`time_zone`, as the original import read it), and a row count that
    differs from the record (a mapping or file that no longer reads raises)."""
    frame = read_dataset(opened.read(path), item.dataset, _mapping(item), name=item.file_name,
                         time_zone=time_zone).accepted(True)
    problems = []
    if len(frame) != item.row_count:
        problems.append(Problem(f"{where}.row_count", f"the file gives {len(frame)} valid row(s) here, the record "
                                                      f"says {item.row_count}"))
    return EvidencePlan(item, path, derived=tuple(frame_to_parts(get_schema(item.dataset), frame))), problems


def _head(opened: OpenedBundle, path: str, file_name: str) -> bytes:
    """Enough of the original file to check that it opens and its header matches: a workbook whole
    (a zip needs its end), a delimited file's first whole lines."""
    head = opened.head(path, HEAD_BYTES + 1)
    if is_workbook(head, file_name):  # refuses a name of neither format, as the original import did
        return opened.read(path)
    return head if len(head) <= HEAD_BYTES else head[:head.rfind(b"\n", 0, HEAD_BYTES) + 1]

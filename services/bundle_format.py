"""The bundle archive: its layout, and writing it one evidence file or part at a time
(reading and checking it: services.bundle_reader).

Layout (format 3, documented in docs/deployment.md "Bundles" and in the README.txt inside):

    README.txt                      what this is and how to import it
    records/assessment.json         organisation, site, assessment
    records/responses.json, records/targets.json, records/findings.json, records/audit.json
    records/snapshot.json           the finalised score (null for a draft)
    evidence/files/NNN-NAME         the original evidence file, byte for byte
    evidence/rows/NNN-PPPP.parquet  its normalised rows as stored (evidence.columnar parts)
    evidence/imports.json           one entry per evidence import, naming its file and parts
    manifest.json                   {"format", "format_version", "assessment_uid", "label", "files": {path: {sha256, bytes}}}
    signature.json                  {"algorithm": "Ed25519", "key_id", "signature"} over manifest.json (services.bundle_keys)

The records are the record models of storage.records (through storage.bundle_io.PortableAssessment),
so the format follows the stored fields without a second declaration; `FORMAT_VERSION` changes when
they change incompatibly. The manifest comes last: it is made from the hashes taken while the
evidence streams into the archive, so an export holds one evidence file or one part in memory at a
time, never the whole assessment's rows. Format 3 added the parts (format 2 carried the files
only and an import re-read every row from them).

Writing is deterministic (sorted keys, fixed entry times, fixed order; Ed25519 signatures are
deterministic too), so the same records give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from errors import ScorecardError
from storage.bundle_io import PortableAssessment

FORMAT = "resilience-scorecard-bundle"
FORMAT_VERSION = 3
MANIFEST, SIGNATURE = "manifest.json", "signature.json"
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
MAX_ENTRIES = 10_000
MAX_PROBLEMS_PER_FILE = 20
HEAD = ("organisation", "site", "assessment")
RECORD_FILES = {"responses": "records/responses.json", "targets": "records/targets.json",
                "findings": "records/findings.json", "snapshot": "records/snapshot.json", "audit": "records/audit.json"}
"""PortableAssessment field → its file (the head fields share records/assessment.json; evidence has its own)."""
IMPORTS = "evidence/imports.json"
FILES, ROWS = "evidence/files/", "evidence/rows/"
README = """Resilience Scorecard assessment bundle (format 3)

One assessment with everything stored about it: answers, targets, findings, the original evidence
files with their rows, the finalised score if any, and its audit log. manifest.json lists every other file with its
SHA-256 and signature.json signs manifest.json with the organisation's Ed25519 bundle key; an import
refuses an archive whose files or signature do not match. Import with:
    scorecard bundle import THIS_FILE.zip
"""


class BundleError(ScorecardError):
    """A bundle cannot be imported: foreign, tampered, newer, unsigned or malformed."""


@dataclass(frozen=True)
class EvidenceEntry:
    """One evidence import's content for `write_bundle`, fetched only when it is written."""

    file_name: str
    """A safe zip entry name for the original file."""
    size: int
    """Bytes in the original file."""
    content: Callable[[], Iterable[bytes]]
    """The original file's pieces in order, produced one at a time."""
    parts: Callable[[], Iterable[bytes]]
    """Its Parquet parts in order, produced one at a time."""


def to_json_bytes(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def write_bundle(out: BinaryIO, records: PortableAssessment, evidence: list[EvidenceEntry], *, label: str,
                 sign: Callable[[bytes], Any]) -> None:
    """Write the bundle zip to `out`; `evidence[i]` is the content of `records.evidence[i]`;
    `sign(manifest bytes)` returns the signature document."""
    data = records.model_dump(mode="json")
    listed: dict[str, dict[str, Any]] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def put(path: str, content: bytes, compression: int = zipfile.ZIP_DEFLATED, level: int | None = None) -> None:
            listed[path] = {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=level)

        put("README.txt", README.encode("utf-8"))
        put("records/assessment.json", to_json_bytes({k: data[k] for k in HEAD}))
        for field, path in sorted(RECORD_FILES.items(), key=lambda item: item[1]):
            put(path, to_json_bytes(data[field]))
        imports = []
        for n, (item, entry) in enumerate(zip(data["evidence"], evidence, strict=True), start=1):
            file_path = f"{FILES}{n:03d}-{entry.file_name}"
            listed[file_path] = _stream_entry(archive, file_path, entry.size, entry.content())
            part_paths = []
            for k, part in enumerate(entry.parts(), start=1):
                part_paths.append(f"{ROWS}{n:03d}-{k:04d}.parquet")
                put(part_paths[-1], part, zipfile.ZIP_STORED)  # Parquet parts are compressed already
            imports.append({**item, "file": file_path, "parts": part_paths})
        put(IMPORTS, to_json_bytes(imports))
        manifest = to_json_bytes({"format": FORMAT, "format_version": FORMAT_VERSION, "label": label,
                                  "assessment_uid": records.assessment.uid, "files": dict(sorted(listed.items()))})
        for path, content in ((MANIFEST, manifest), (SIGNATURE, to_json_bytes(sign(manifest)))):
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)


def _stream_entry(archive: zipfile.ZipFile, path: str, size: int, pieces: Iterable[bytes]) -> dict[str, Any]:
    """Write one entry from its pieces (fast deflate: a CSV of a million rows still shrinks ~4x);
    return its manifest line."""
    info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.file_size = size
    info._compresslevel = 1  # zipfile reads the level from here when an entry is opened for writing
    digest, written = hashlib.sha256(), 0
    with archive.open(info, "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as entry:
        for piece in pieces:
            digest.update(piece)
            entry.write(piece)
            written += len(piece)
    if written != size:
        raise RuntimeError(f"{path}: {written} bytes written, {size} expected")  # the file changed under the export
    return {"sha256": digest.hexdigest(), "bytes": size}

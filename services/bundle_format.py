"""The bundle archive: a signed manifest of SHA-256 hashes, the assessment's records as JSON, and its
evidence files.

Layout (format 2, documented in docs/deployment.md "Bundles" and in the README.txt inside):

    README.txt                 what this is and how to import it
    manifest.json              {"format", "format_version", "assessment_uid", "label", "files": {path: {sha256, bytes}}}
    signature.json             {"algorithm": "Ed25519", "key_id", "signature"} over manifest.json (services.bundle_keys)
    records/assessment.json    organisation, site, assessment
    records/responses.json, records/targets.json, records/findings.json, records/audit.json
    records/snapshot.json      the finalised score (null for a draft)
    evidence/imports.json      one entry per evidence import, naming its file below
    evidence/files/NNN-NAME    the original evidence file, byte for byte

The records are the record models of storage.records (through storage.bundle_io.PortableAssessment),
so the format follows the stored fields without a second declaration; `FORMAT_VERSION` changes when
they change incompatibly. Evidence rows are not carried: an import re-reads them from the files.

Writing is deterministic (sorted keys, fixed entry times, fixed order; Ed25519 signatures are
deterministic too), so the same records give the same bytes. Reading refuses, with the reason,
anything that is not a zip, has duplicate or unsafe entry names, lacks the manifest or its format
tag (foreign), is a newer format, has a file whose hash or size differs from the manifest or a file
the manifest does not list (tampered), unpacks to more than the size limit, or whose JSON is not
strict (duplicate keys, NaN, wrong types, times without a zone): every problem names the file in the
bundle and the field. Format 1 (before signatures) is read for unverified imports.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

import config
from errors import Problem, ScorecardError
from services.strict_json import parse_strict
from storage.bundle_io import PortableAssessment
from storage.records import snapshot_values

FORMAT = "resilience-scorecard-bundle"
FORMAT_VERSION = 2
MANIFEST, SIGNATURE = "manifest.json", "signature.json"
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
MAX_ENTRIES = 10_000
MAX_PROBLEMS_PER_FILE = 20
HEAD = ("organisation", "site", "assessment")
RECORD_FILES = {"responses": "records/responses.json", "targets": "records/targets.json",
                "findings": "records/findings.json", "snapshot": "records/snapshot.json", "audit": "records/audit.json"}
"""PortableAssessment field → its file (the head fields share records/assessment.json; evidence has its own)."""
IMPORTS = "evidence/imports.json"
README = """Resilience Scorecard assessment bundle (format 2)

One assessment with everything stored about it: answers, targets, findings, the original evidence
files, the finalised score if any, and its audit log. manifest.json lists every other file with its
SHA-256 and signature.json signs manifest.json with the organisation's Ed25519 bundle key; an import
refuses an archive whose files or signature do not match. Import with:
    scorecard bundle import THIS_FILE.zip
"""


class BundleError(ScorecardError):
    """A bundle cannot be imported: foreign, tampered, newer, unsigned or malformed."""


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle whose archive, manifest and records were checked (its signature is not yet)."""

    manifest_bytes: bytes
    signature: Any
    """The parsed signature.json, or None when the bundle has none."""
    format_version: int
    records: PortableAssessment
    evidence_files: tuple[tuple[str, bytes], ...]
    """(path in the archive, bytes) of the file of each of `records.evidence`, in the same order."""


def to_json_bytes(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def write_bundle(records: PortableAssessment, contents: list[bytes], file_names: list[str], *, label: str,
                 sign) -> bytes:
    """The zip bytes of a bundle; `contents[i]` is the file of `records.evidence[i]` stored as
    `file_names[i]` (a safe entry name); `sign(manifest bytes)` returns the signature document."""
    data = records.model_dump(mode="json")
    files = {"README.txt": README.encode("utf-8"), "records/assessment.json": to_json_bytes({k: data[k] for k in HEAD})}
    files.update({path: to_json_bytes(data[field]) for field, path in RECORD_FILES.items()})
    paths = [f"evidence/files/{n:03d}-{name}" for n, name in enumerate(file_names, start=1)]
    files[IMPORTS] = to_json_bytes([{**item, "file": path} for item, path in zip(data["evidence"], paths, strict=True)])
    files.update(zip(paths, contents, strict=True))
    manifest = to_json_bytes({
        "format": FORMAT, "format_version": FORMAT_VERSION, "assessment_uid": records.assessment.uid, "label": label,
        "files": {path: {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
                  for path, content in sorted(files.items())},
    })
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [(MANIFEST, manifest), (SIGNATURE, to_json_bytes(sign(manifest))), *sorted(files.items())]
        for path, content in entries:
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def open_bundle(data: bytes, name: str) -> OpenedBundle:
    """Verify the archive against its manifest and parse its records; BundleError with every problem."""
    manifest_bytes, manifest, files = _read_archive(data, name)
    problems: list[Problem] = []
    signature = parse_strict(files[SIGNATURE], f"{name}: {SIGNATURE}", problems) if SIGNATURE in files else None
    parsed: dict[str, Any] = {}
    head = _parse(files, "records/assessment.json", name, problems)
    if isinstance(head, dict):
        parsed.update({k: head.get(k) for k in HEAD})
        problems += [Problem(f"{name}: records/assessment.json {k}", "not a field of the format")
                     for k in sorted(set(head) - set(HEAD))]
    elif head is not None:
        problems.append(Problem(f"{name}: records/assessment.json", "must be an object"))
    for field, path in RECORD_FILES.items():
        parsed[field] = _parse(files, path, name, problems)
    imports = _parse(files, IMPORTS, name, problems)
    evidence_files = _evidence_files(imports, files, name, problems)
    parsed["evidence"] = [{k: v for k, v in item.items() if k != "file"} for item in imports or []] \
        if evidence_files is not None else []
    if manifest["format_version"] == 1 and not problems:
        _upgrade_from_format_1(parsed)
    if isinstance(parsed.get("snapshot"), dict):
        parsed["snapshot"] = snapshot_values(parsed["snapshot"])
    records = None
    if not problems:
        try:
            records = _ADAPTER.validate_json(json.dumps(parsed), strict=True)
        except ValidationError as exc:
            problems += _validation_problems(exc, name)
    if records is not None and records.assessment.uid != manifest["assessment_uid"]:
        problems.append(Problem(f"{name}: {MANIFEST}", f"names assessment {manifest['assessment_uid'][:40]}, the "
                                                       f"records {records.assessment.uid[:40]}"))
    if problems or records is None:
        raise BundleError(f"{name}: the bundle's records are not valid; nothing was imported", problems)
    return OpenedBundle(manifest_bytes, signature, manifest["format_version"], records, tuple(evidence_files or ()))


def _upgrade_from_format_1(parsed: dict[str, Any]) -> None:
    """Format 1 (unsigned, before this version) → format 2 records, in place: the assessment had no
    `unverified` flag, the snapshot carried its trend columns, audit entries named `user_name`, and
    evidence imports pointed at normalised rows (now re-read from the files)."""
    if isinstance(parsed.get("assessment"), dict):
        parsed["assessment"].setdefault("unverified", False)
    if isinstance(parsed.get("snapshot"), dict):
        parsed["snapshot"] = {k: parsed["snapshot"].get(k) for k in ("scorecard", "metrics", "created_by", "created_at")}
    if isinstance(parsed.get("audit"), list):
        parsed["audit"] = [{("user" if k == "user_name" else k): v for k, v in e.items()} if isinstance(e, dict) else e
                           for e in parsed["audit"]]
    parsed["evidence"] = [{k: v for k, v in item.items() if k != "rows"} for item in parsed["evidence"]]


_ADAPTER = TypeAdapter(PortableAssessment)


def _read_archive(data: bytes, name: str) -> tuple[bytes, dict[str, Any], dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(name, "not a zip archive", "export bundles with `scorecard bundle export`") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _refuse(name, f"{len(infos)} entries, more than a bundle ever has")
        limit = 4 * config.max_upload_bytes()
        if sum(i.file_size for i in infos) > limit:
            raise _refuse(name, f"unpacks to more than {limit // (1024 * 1024)} MB; refused as a possible zip bomb")
        names = [i.filename for i in infos]
        bad = sorted({n for n in names if names.count(n) > 1 or n.startswith("/") or ".." in n.split("/") or "\\" in n})
        if bad:
            raise BundleError(f"{name}: refused: duplicate or unsafe entry names (altered after export)",
                              [Problem(f"{name}: {n}", "duplicate or unsafe entry name") for n in bad])
        if MANIFEST not in names:
            raise _refuse(name, "no manifest.json: this is not a Resilience Scorecard bundle (foreign archive)")
        manifest_bytes = archive.read(MANIFEST)
        manifest = _manifest(manifest_bytes, name)
        listed = manifest["files"]
        problems = [Problem(f"{name}: {p}", "file not listed in the manifest (added after export)")
                    for p in names if p not in (MANIFEST, SIGNATURE) and p not in listed]
        problems += [Problem(f"{name}: {p}", "listed in the manifest but missing from the archive")
                     for p in listed if p not in names]
        files: dict[str, bytes] = {}
        for path in [p for p in names if p != MANIFEST]:
            try:
                content = archive.read(path)
            except (zipfile.BadZipFile, OSError) as exc:  # CRC mismatch: bytes changed inside the zip
                problems.append(Problem(f"{name}: {path}", f"cannot be read ({exc})"))
                continue
            expected = listed.get(path)
            if isinstance(expected, dict) and (len(content) != expected.get("bytes")
                                               or hashlib.sha256(content).hexdigest() != expected.get("sha256")):
                problems.append(Problem(f"{name}: {path}", "content does not match the SHA-256 in the manifest "
                                                           "(changed after export)"))
            files[path] = content
    if problems:
        raise BundleError(f"{name}: the bundle was altered after export; nothing was imported", problems)
    return manifest_bytes, manifest, files


def _manifest(raw: bytes, name: str) -> dict[str, Any]:
    problems: list[Problem] = []
    manifest = parse_strict(raw, f"{name}: {MANIFEST}", problems)
    if problems:
        raise BundleError(f"{name}: refused: manifest.json is not valid JSON (foreign or damaged archive)", problems)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(name, "manifest.json is not a Resilience Scorecard manifest (foreign archive)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refuse(name, f"manifest.json: format_version {version!r} is not a format version (damaged archive)")
    if version > FORMAT_VERSION:
        raise _refuse(name, f"bundle format {version} is newer than this version reads ({FORMAT_VERSION})",
                      "upgrade the application that imports it")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()) \
            or not isinstance(manifest.get("assessment_uid"), str):
        raise _refuse(name, "manifest.json lacks its file list or assessment id (damaged archive)")
    return manifest


def _parse(files: dict[str, bytes], path: str, name: str, problems: list[Problem]) -> Any:
    if path not in files:
        problems.append(Problem(f"{name}: {path}", "missing"))
        return None
    return parse_strict(files[path], f"{name}: {path}", problems)


def _evidence_files(imports: Any, files: dict[str, bytes], name: str,
                    problems: list[Problem]) -> list[tuple[str, bytes]] | None:
    if imports is None:
        return None
    if not isinstance(imports, list) or not all(isinstance(i, dict) for i in imports):
        problems.append(Problem(f"{name}: {IMPORTS}", "must be a list of objects"))
        return None
    found: list[tuple[str, bytes]] = []
    for i, item in enumerate(imports):
        path = item.get("file")
        if not isinstance(path, str) or not path.startswith("evidence/files/") or path not in files \
                or path in dict(found):
            problems.append(Problem(f"{name}: {IMPORTS} [{i}].file", f"{str(path)[:80]!r} is not an evidence file of "
                                                                     "this bundle (or is named twice)"))
            continue
        found.append((path, files[path]))
    return found


def _validation_problems(exc: ValidationError, name: str) -> list[Problem]:
    """Pydantic errors as `file: [index].field: message`, at most MAX_PROBLEMS_PER_FILE per file."""
    by_file: dict[str, list[Problem]] = {}
    for error in exc.errors(include_url=False):
        loc = list(error["loc"])
        field = loc.pop(0) if loc else ""
        path = "records/assessment.json" if field in HEAD else RECORD_FILES.get(field, IMPORTS)
        if field in HEAD:
            loc.insert(0, field)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        value = error.get("input")
        shown = "" if isinstance(value, (dict, list)) else f" (got {json.dumps(value, default=str)[:60]})"
        by_file.setdefault(path, []).append(Problem(f"{name}: {path} {where}".rstrip(), f"{error['msg']}{shown}"))
    problems = []
    for path, found in by_file.items():
        problems += found[:MAX_PROBLEMS_PER_FILE]
        if len(found) > MAX_PROBLEMS_PER_FILE:
            problems.append(Problem(f"{name}: {path}", f"… and {len(found) - MAX_PROBLEMS_PER_FILE} more problems"))
    return problems


def _refuse(name: str, reason: str, hint: str = "") -> BundleError:
    return BundleError(f"{name}: refused: {reason}", [Problem(name, reason, hint)])

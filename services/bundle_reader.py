"""Reading a bundle (layout: services.bundle_format): the archive checked against its manifest and
its records parsed, with the evidence files and parts left in the archive until they are needed.

Refused, with the reason: anything that is not a zip, has duplicate or unsafe entry names, lacks the
manifest or its format tag (foreign), is a newer format, has a file whose hash or size differs from
the manifest or a file the manifest does not list (tampered), unpacks to more than the size limit,
or whose JSON is not strict (duplicate keys, NaN, wrong types, times without a zone): every problem
names the file in the bundle and the field. Every entry is hashed while it streams (1 MiB at a
time), so checking a bundle holds only its small record files in memory; an evidence file or part
is read again when it is stored (`OpenedBundle.read`, or `stream` for an original file, a block at a
time), and checked against the manifest again then.
Formats 1 (before signatures) and 2 (files without parts) are read too.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

import config
from errors import Problem
from services.bundle_format import (
    FILES,
    FORMAT,
    FORMAT_VERSION,
    HEAD,
    IMPORTS,
    MANIFEST,
    MAX_ENTRIES,
    MAX_PROBLEMS_PER_FILE,
    RECORD_FILES,
    ROWS,
    SIGNATURE,
    BundleError,
)
from services.strict_json import parse_strict
from storage.bundle_io import PortableAssessment
from storage.records import snapshot_values

BLOCK = 1024 * 1024
STREAM_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle whose archive, manifest and records were checked (its signature is not yet)."""

    source: bytes | Path
    name: str
    manifest_bytes: bytes
    manifest: dict[str, Any]
    signature: Any
    """The parsed signature.json, or None when the bundle has none."""
    format_version: int
    records: PortableAssessment
    evidence_files: tuple[str, ...]
    """The path in the archive of the file of each of `records.evidence`, in the same order."""
    evidence_parts: tuple[tuple[str, ...], ...]
    """The paths of the Parquet parts of each of `records.evidence` (none before format 3)."""

    def sha256(self, path: str) -> str:
        """The SHA-256 the manifest lists for `path` (checked against the content when opened)."""
        return self.manifest["files"][path]["sha256"]

    def stream(self, path: str) -> Iterator[bytes]:
        """The bytes of one entry in blocks of `STREAM_BYTES`; BundleError after the last block when
        they do not match the manifest (raised inside the storing transaction, it stores nothing)."""
        expected, digest, size = self.manifest["files"][path], hashlib.sha256(), 0
        with _open_zip(self.source, self.name) as archive, archive.open(path) as entry:
            while block := entry.read(STREAM_BYTES):
                digest.update(block)
                size += len(block)
                yield block
        if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
            raise _changed(self.name, path)

    def head(self, path: str, size: int) -> bytes:
        """The first `size` bytes of one entry (not checked: the whole entry was when opened)."""
        with _open_zip(self.source, self.name) as archive, archive.open(path) as entry:
            return entry.read(size)

    def read(self, path: str) -> bytes:
        """The bytes of one entry, checked against the manifest again (the file may have changed since)."""
        with _open_zip(self.source, self.name) as archive:
            content = archive.read(path)
        expected = self.manifest["files"][path]
        if len(content) != expected["bytes"] or hashlib.sha256(content).hexdigest() != expected["sha256"]:
            raise _changed(self.name, path)
        return content


def _changed(name: str, path: str) -> BundleError:
    return BundleError(f"{name}: {path} changed while it was imported; nothing was imported",
                       [Problem(f"{name}: {path}", "content does not match the SHA-256 in the manifest")])

def open_bundle(source: bytes | Path, name: str) -> OpenedBundle:
    """Verify the archive against its manifest and parse its records; BundleError with every problem."""
    manifest_bytes, manifest, files = _read_archive(source, name)
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
    evidence_files = _evidence_files(imports, manifest["files"], manifest["format_version"], name, problems)
    parsed["evidence"] = [{k: v for k, v in item.items() if k not in ("file", "parts")} for item in imports or []] \
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
    return OpenedBundle(source, name, manifest_bytes, manifest, signature, manifest["format_version"], records,
                        tuple(path for path, _ in evidence_files or ()), tuple(parts for _, parts in evidence_files or ()))


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


def _open_zip(source: bytes | Path, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except zipfile.BadZipFile:
        raise _refuse(name, "not a zip archive", "export bundles with `scorecard bundle export`") from None
    except OSError as exc:
        raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from None


def _read_archive(source: bytes | Path, name: str) -> tuple[bytes, dict[str, Any], dict[str, bytes]]:
    """The manifest's bytes, the manifest, and the bytes of every entry but the evidence files and
    parts (each of those is hashed as it streams, and left in the archive)."""
    with _open_zip(source, name) as archive:
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
            keep = not path.startswith((FILES, ROWS))
            try:
                digest, size, content = _stream(archive, path, keep)
            except (zipfile.BadZipFile, OSError) as exc:  # CRC mismatch: bytes changed inside the zip
                problems.append(Problem(f"{name}: {path}", f"cannot be read ({exc})"))
                continue
            expected = listed.get(path)
            if isinstance(expected, dict) and (size != expected.get("bytes") or digest != expected.get("sha256")):
                problems.append(Problem(f"{name}: {path}", "content does not match the SHA-256 in the manifest "
                                                           "(changed after export)"))
            if keep:
                files[path] = content
    if problems:
        raise BundleError(f"{name}: the bundle was altered after export; nothing was imported", problems)
    return manifest_bytes, manifest, files


def _stream(archive: zipfile.ZipFile, path: str, keep: bool) -> tuple[str, int, bytes]:
    """(SHA-256, size, the bytes when `keep` else b"") of one entry, read a block at a time."""
    digest, size, kept = hashlib.sha256(), 0, []
    with archive.open(path) as entry:
        while block := entry.read(BLOCK):
            digest.update(block)
            size += len(block)
            if keep:
                kept.append(block)
    return digest.hexdigest(), size, b"".join(kept)


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


def _evidence_files(imports: Any, listed: dict[str, Any], version: int, name: str,
                    problems: list[Problem]) -> list[tuple[str, tuple[str, ...]]] | None:
    """(file path, part paths) of each import; each must be an entry of its kind that the manifest
    lists, named once (format 3 names the parts; older formats have none)."""
    if imports is None:
        return None
    if not isinstance(imports, list) or not all(isinstance(i, dict) for i in imports):
        problems.append(Problem(f"{name}: {IMPORTS}", "must be a list of objects"))
        return None
    found: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()

    def named(value: Any, folder: str) -> bool:
        ok = isinstance(value, str) and value.startswith(folder) and value in listed and value not in seen
        seen.add(str(value))
        return ok

    for i, item in enumerate(imports):
        path = item.get("file")
        if not named(path, FILES):
            problems.append(Problem(f"{name}: {IMPORTS} [{i}].file", f"{str(path)[:80]!r} is not an evidence file of "
                                                                     "this bundle (or is named twice)"))
            continue
        parts = item.get("parts", [] if version < 3 else None)
        if not isinstance(parts, list) or not all(named(p, ROWS) for p in parts):
            problems.append(Problem(f"{name}: {IMPORTS} [{i}].parts", "must list this bundle's row parts of the "
                                                                      "import (each named once)"))
            continue
        found.append((path, tuple(parts)))
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

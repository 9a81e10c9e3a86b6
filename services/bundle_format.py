"""The bundle archive: a zip with a manifest of SHA-256 hashes, JSON records and evidence files.

Layout (format 1, documented in docs/deployment.md "Bundles" and in the README.txt inside):

    README.txt                 what this is and how to import it
    manifest.json              {"format", "format_version", "assessment_uid", "label", "files": {path: {sha256, bytes}}}
    records/assessment.json    organisation, site, assessment
    records/responses.json, records/targets.json, records/findings.json, records/audit.json
    records/snapshot.json      the finalised score (null for a draft)
    evidence/imports.json      one entry per evidence import (file and rows paths below)
    evidence/files/NNN-NAME    the original evidence file, byte for byte
    evidence/rows/NNN.jsonl    its normalised rows, one {"row": N, "values": {...}} per line

Writing is deterministic (sorted keys, fixed entry times, fixed order), so the same records give
the same bytes. Reading refuses, with the reason, anything that is not a zip, lacks the manifest or
its format tag (foreign), is a newer format, has a file whose hash or size differs from the
manifest or a file the manifest does not list (tampered), or unpacks to more than the size limit.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import config
from errors import Problem, ScorecardError

FORMAT = "resilience-scorecard-bundle"
FORMAT_VERSION = 1
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
MAX_ENTRIES = 10_000
README = """Resilience Scorecard assessment bundle (format 1)

One assessment with everything stored about it: answers, targets, findings, evidence (the original
files and their normalised rows), the finalised score if any, and its audit log.
manifest.json lists every other file with its SHA-256; an import refuses an archive whose files do
not match it. Import with:  scorecard bundle import THIS_FILE.zip
"""


class BundleError(ScorecardError):
    """A bundle cannot be imported: foreign, tampered, newer or malformed."""


def to_json_bytes(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_archive(files: dict[str, bytes], *, assessment_uid: str, label: str) -> bytes:
    """The zip bytes of `files` (path → bytes) plus README.txt and the manifest."""
    files = {"README.txt": README.encode("utf-8"), **files}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "assessment_uid": assessment_uid,
        "label": label,
        "files": {path: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for path, data in sorted(files.items())},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in [("manifest.json", to_json_bytes(manifest)), *sorted(files.items())]:
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def read_archive(data: bytes, name: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Verify and unpack a bundle: (manifest, files by path). Raises BundleError with the reason."""
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
        if "manifest.json" not in names:
            raise _refuse(name, "no manifest.json: this is not a Resilience Scorecard bundle (foreign archive)")
        manifest = _manifest(archive.read("manifest.json"), name)
        listed = manifest["files"]
        problems = [Problem(f"{name}: {p}", "file not listed in the manifest (added after export)")
                    for p in names if p != "manifest.json" and p not in listed]
        problems += [Problem(f"{name}: {p}", "listed in the manifest but missing from the archive")
                     for p in listed if p not in names]
        files: dict[str, bytes] = {}
        for path, expected in listed.items():
            if path not in names:
                continue
            try:
                content = archive.read(path)
            except (zipfile.BadZipFile, OSError) as exc:  # CRC mismatch: bytes changed inside the zip
                problems.append(Problem(f"{name}: {path}", f"cannot be read ({exc})"))
                continue
            if len(content) != expected.get("bytes") or hashlib.sha256(content).hexdigest() != expected.get("sha256"):
                problems.append(Problem(f"{name}: {path}", "content does not match the SHA-256 in the manifest (changed after export)"))
            files[path] = content
    if problems:
        raise BundleError(f"{name}: the bundle was altered after export; nothing was imported", problems)
    return manifest, files


def _manifest(raw: bytes, name: str) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise _refuse(name, "manifest.json is not JSON (foreign or damaged archive)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(name, "manifest.json is not a Resilience Scorecard manifest (foreign archive)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _refuse(name, f"bundle format {version!r} is newer than this version reads ({FORMAT_VERSION})",
                      "upgrade the application that imports it")
    if not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("assessment_uid"), str):
        raise _refuse(name, "manifest.json lacks its file list or assessment id (damaged archive)")
    return manifest


def _refuse(name: str, reason: str, hint: str = "") -> BundleError:
    return BundleError(f"{name}: refused: {reason}", [Problem(name, reason, hint)])

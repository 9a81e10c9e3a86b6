"""What an attacker (or a careless admin) does to a bundle: unpack it, change records, recompute the
manifest's hashes, and sign again with some key (or not at all)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization


def unpack(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pack(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def edit_json(files: dict[str, bytes], path: str, change: Callable[[Any], object]) -> None:
    """Change a JSON file of the bundle in place (`change` mutates the parsed value)."""
    value = json.loads(files[path])
    change(value)
    files[path] = json.dumps(value, indent=1).encode()


def map_json(files: dict[str, bytes], path: str, function: Callable[[Any], Any]) -> None:
    """Replace a JSON file of the bundle with `function` of its parsed value."""
    files[path] = json.dumps(function(json.loads(files[path])), indent=1).encode()


def rehash(files: dict[str, bytes]) -> None:
    """Recompute the manifest's file list, as anyone can: hashes without a key prove nothing."""
    manifest = json.loads(files["manifest.json"])
    manifest["files"] = {path: {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
                         for path, content in sorted(files.items()) if path not in ("manifest.json", "signature.json")}
    files["manifest.json"] = json.dumps(manifest, indent=1, sort_keys=True).encode()


def resign(files: dict[str, bytes], key_file: Path | None) -> None:
    """Sign the manifest with the private key in `key_file`, or drop the signature (None)."""
    from services.bundle_keys import sign  # the format's own signing, not a copy of it

    files.pop("signature.json", None)
    if key_file is not None:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        files["signature.json"] = json.dumps(sign(files["manifest.json"], key)).encode()


def forge(data: bytes, change: Callable[[dict[str, bytes]], None], *, key_file: Path | None = None,
          keep_signature: bool = False) -> bytes:
    """The bundle with `change` applied to its files, the manifest recomputed, and signed with
    `key_file` (or unsigned; or with the old, now mismatching signature when `keep_signature`)."""
    files = unpack(data)
    change(files)
    rehash(files)
    if not keep_signature:
        resign(files, key_file)
    return pack(files)

"""The organisation's bundle keys: Ed25519 signatures over a bundle's manifest.

An export is signed with the private key named by ``SCORECARD_BUNDLE_KEY`` (config.bundle_key_file);
an import trusts that key's public half and the public keys listed in
``SCORECARD_BUNDLE_TRUSTED_KEYS``. The signature covers the exact bytes of ``manifest.json``, which
holds the SHA-256 of every other file, so changing any byte of a signed bundle breaks it. A key is
named by its id: the first 16 hex digits of the SHA-256 of its raw 32-byte public key.

Keys are PEM files: PKCS#8 for the private key (``-----BEGIN PRIVATE KEY-----``, unencrypted, mode
0600) and SubjectPublicKeyInfo for the public one, as ``openssl genpkey -algorithm ed25519`` writes
them; `generate_key_files` (``scorecard bundle keygen``) makes both.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

import config
from errors import Problem, ScorecardError

ALGORITHM = "Ed25519"
CONTEXT = b"resilience-scorecard-bundle manifest\n"
"""Prefixed to the manifest before signing, so a signature made for anything else never fits."""
KEY_SETTING = "SCORECARD_BUNDLE_KEY"
TRUSTED_SETTING = "SCORECARD_BUNDLE_TRUSTED_KEYS"


class BundleKeyError(ScorecardError):
    """A bundle key is missing, unreadable or not an Ed25519 key."""


@dataclass(frozen=True)
class Verdict:
    """What the signature of a bundle proves."""

    verified: bool
    key_id: str | None
    reason: str
    """In words, e.g. "signed by trusted key 3f2a…" or "signed by unknown key 77c1…"."""


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signing_key() -> Ed25519PrivateKey:
    """The configured private key; a clear error when none is set or it cannot be used."""
    path = config.bundle_key_file()
    if path is None:
        raise BundleKeyError("bundles are signed, and no bundle key is configured", [Problem(
            KEY_SETTING, "not set", "create the organisation's key once with `scorecard bundle keygen -o FILE` and "
                                    f"set {KEY_SETTING}=FILE on every installation that exports bundles")])
    return _load(path, KEY_SETTING, lambda data: serialization.load_pem_private_key(data, password=None),
                 Ed25519PrivateKey, "an unencrypted Ed25519 private key")


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """Key id → public key of every key whose bundles are accepted."""
    keys: dict[str, Ed25519PublicKey] = {}
    if config.bundle_key_file() is not None:
        own = signing_key().public_key()
        keys[key_id(own)] = own
    for path in config.trusted_bundle_key_files():
        key = _load(path, TRUSTED_SETTING, serialization.load_pem_public_key, Ed25519PublicKey, "an Ed25519 public key")
        keys[key_id(key)] = key
    return keys


def sign(manifest: bytes, key: Ed25519PrivateKey) -> dict[str, str]:
    """The signature document of a manifest (written as signature.json)."""
    return {"algorithm": ALGORITHM, "key_id": key_id(key.public_key()),
            "signature": base64.b64encode(key.sign(CONTEXT + manifest)).decode("ascii")}


def verify(manifest: bytes, document: Any) -> Verdict:
    """Check a signature document against the trusted keys; never raises for a bad signature."""
    if document is None:
        return Verdict(False, None, "the bundle is not signed")
    if not isinstance(document, dict) or document.get("algorithm") != ALGORITHM \
            or not isinstance(document.get("key_id"), str) or not isinstance(document.get("signature"), str):
        return Verdict(False, None, "signature.json is not an Ed25519 signature document")
    kid = document["key_id"][:64]
    try:
        signature = base64.b64decode(document["signature"], validate=True)
    except (binascii.Error, ValueError):
        return Verdict(False, kid, "the signature is not valid base64")
    key = trusted_keys().get(kid)
    if key is None:
        return Verdict(False, kid, f"signed by key {kid}, which is not trusted here")
    try:
        key.verify(signature, CONTEXT + manifest)
    except InvalidSignature:
        return Verdict(False, kid, f"the signature does not match the manifest (key {kid}): the bundle was altered "
                                   "after it was signed")
    return Verdict(True, kid, f"signed by trusted key {kid}")


def generate_key_files(path: Path) -> str:
    """Write a new private key to `path` (mode 0600) and its public key to `path`.pub; return the
    key id. Refuses to overwrite either file."""
    public_path = path.with_name(path.name + ".pub")
    existing = [p for p in (path, public_path) if p.exists()]
    if existing:
        raise BundleKeyError("a key file is already there; nothing was written",
                             [Problem(str(p), "exists", "choose another file name, or move the old key away first")
                              for p in existing])
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    public_path.write_bytes(public_pem)
    return key_id(key.public_key())


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BundleKeyError(f"cannot read the bundle key {path}", [Problem(
            setting, f"{path}: {exc.strerror or exc}", "check the path and that this account may read the file")]) from None


def _load(path: Path, setting: str, loader: Callable[[bytes], Any], kind: type, wanted: str) -> Any:
    try:
        key = loader(_read(path, setting))
    except (ValueError, TypeError, UnsupportedAlgorithm):  # not PEM, damaged, encrypted, another algorithm
        key = None
    if not isinstance(key, kind):
        raise BundleKeyError(f"{path} is not {wanted}", [Problem(
            setting, f"{path}: not a PEM file holding {wanted}", "make one with `scorecard bundle keygen -o FILE`")])
    return key

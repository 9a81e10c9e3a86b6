"""Bundle signing keys for tests (import * in a conftest): the organisation's key, configured for
every test of the package, and a stranger's key for bundles that must not be trusted.

The keys are made here with `cryptography` itself (PEM files, as `scorecard bundle keygen` and
`openssl genpkey -algorithm ed25519` write them), not with the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def write_key_pair(path: Path) -> Path:
    """A new Ed25519 private key at `path` and its public key at `path`.pub."""
    key = Ed25519PrivateKey.generate()
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.with_name(path.name + ".pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return path


@pytest.fixture(scope="session")
def key_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundle-keys")
    write_key_pair(folder / "organisation.key")
    write_key_pair(folder / "stranger.key")
    return folder


@pytest.fixture(autouse=True)
def bundle_key(key_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The organisation's private key, configured as SCORECARD_BUNDLE_KEY (no other key trusted)."""
    monkeypatch.setenv("SCORECARD_BUNDLE_KEY", str(key_folder / "organisation.key"))
    monkeypatch.delenv("SCORECARD_BUNDLE_TRUSTED_KEYS", raising=False)
    return key_folder / "organisation.key"


@pytest.fixture
def stranger_key(key_folder: Path) -> Path:
    """Another installation's private key, trusted nowhere unless a test says so."""
    return key_folder / "stranger.key"

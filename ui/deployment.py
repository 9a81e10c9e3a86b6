"""The deployment's sign-in configuration, read strictly: any doubt refuses service.

The secrets (``.streamlit/secrets.toml``: beside app.py, in the working directory or the home
directory, or the files named by Streamlit's ``secrets.files`` option) decide the mode:

- no secrets file, or one without ``[auth]``, ``[roles]`` and ``roles_file``: local mode, allowed
  only on a loopback address (ui.serving, ui.auth);
- ``[auth]`` present: shared mode; ``[auth]`` must name an identity provider completely and the
  roles (``[roles]`` or ``roles_file``) must load without a single problem.

Everything else — a secrets file that cannot be read or is not valid TOML, roles without
``[auth]``, ``[auth]`` without roles, a broken roles file — raises `ServiceRefused`, which names
the file (and line) and what would be right. Nothing ever falls back to local mode.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import streamlit as st
from streamlit import config

from errors import Problem, ScorecardError
from services.roles import RoleConfig, parse_roles, read_roles_file
from ui.serving import is_loopback

DOCS = "docs/deployment.md, 'Sign-in, users and roles'"
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
TOML_POSITION = re.compile(r"\(at line (?P<line>\d+), column (?P<column>\d+)\)")
MIN_COOKIE_SECRET = 32
"""Characters of ``cookie_secret`` at least (it signs the sign-in cookie)."""


class ServiceRefused(ScorecardError):
    """The deployment is misconfigured in a way that could expose the app: nobody is served."""


@dataclass(frozen=True)
class Deployment:
    shared: bool
    """True when sign-in is configured (``[auth]``)."""
    providers: tuple[str, ...] = ()
    """Sign-in providers: ``("default",)`` for a single unnamed one, else the ``[auth.NAME]`` names."""
    roles: RoleConfig | None = None
    secrets_files: tuple[str, ...] = ()
    """The secrets files that exist, for messages."""


def secrets_files() -> tuple[str, ...]:
    """Every path Streamlit reads secrets from, in order (later ones win)."""
    return tuple(str(p) for p in config.get_option("secrets.files"))


def read_deployment() -> Deployment:
    """The mode and, in shared mode, the validated providers and roles; `ServiceRefused` else."""
    secrets = read_secrets()
    found = tuple(p for p in secrets_files() if Path(p).exists())
    where = ", ".join(found) or "the secrets"
    auth = secrets.get("auth")
    has_roles = "roles" in secrets or "roles_file" in secrets
    if auth is None:
        if has_roles:
            raise ServiceRefused("roles are configured but sign-in is not", [Problem(
                where, "[roles] or roles_file is set, but there is no [auth] section",
                f"add [auth] (see {DOCS}), or remove the roles to run in local mode on 127.0.0.1")])
        return Deployment(shared=False, secrets_files=found)
    providers = _check_auth(auth, where)
    return Deployment(shared=True, providers=providers, roles=_roles(secrets, where), secrets_files=found)


def read_secrets() -> dict[str, Any]:
    """The merged secrets ({} when no secrets file exists). A file that exists but cannot be read
    or parsed refuses service, naming the file and the line."""
    try:
        return st.secrets.to_dict()
    except Exception as error:  # noqa: BLE001 - every failure is diagnosed below, none is ignored
        problem = _diagnose(secrets_files())
        if problem is not None:
            raise ServiceRefused("the secrets file cannot be used", [problem]) from None
        if not any(Path(p).exists() for p in secrets_files()):
            return {}  # no secrets at all: local mode (subject to the loopback check)
        raise ServiceRefused("the secrets cannot be read", [Problem(", ".join(secrets_files()), str(error),
                                                                    f"see {DOCS}")]) from None


def _diagnose(paths: tuple[str, ...]) -> Problem | None:
    """The first configured secrets path that exists but cannot be read as Streamlit reads it."""
    for raw in paths:
        path = Path(raw)
        if raw.endswith(".toml"):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            except OSError as exc:
                return Problem(raw, f"cannot be read: {exc.strerror or exc}",
                               "make it a file readable by the service account (and by nobody else: chmod 600)")
            try:
                tomllib.loads(data.decode("utf-8"))
            except UnicodeDecodeError as exc:
                line = data[:exc.start].count(b"\n") + 1
                return Problem(f"{raw}, line {line}", f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8")
            except tomllib.TOMLDecodeError as exc:
                message = str(exc)
                at = TOML_POSITION.search(message)
                where = f"{raw}, line {at['line']}, column {at['column']}" if at else raw
                return Problem(where, f"is not valid TOML: {TOML_POSITION.sub('', message).strip()}",
                               "fix that line (a missing quote, bracket or '='?)")
        elif path.exists() and not path.is_dir():
            return Problem(raw, "is neither a .toml file nor a directory of secrets",
                           "name a secrets.toml file in Streamlit's secrets.files option")
    return None


def _check_auth(auth: Any, where: str) -> tuple[str, ...]:
    """Validate ``[auth]``; returns the provider names. Every problem at once."""
    if not isinstance(auth, Mapping):
        raise ServiceRefused("sign-in is misconfigured", [Problem(f"{where}: auth", "must be a table [auth]")])
    problems: list[Problem] = []
    for key in ("redirect_uri", "cookie_secret"):
        if not isinstance(auth.get(key), str) or not auth[key].strip():
            problems.append(Problem(f"{where}: auth.{key}", "is missing", f"see {DOCS}"))
    uri = auth.get("redirect_uri")
    if isinstance(uri, str) and uri.strip():
        parsed = urlparse(uri)
        if not uri.endswith("/oauth2callback"):
            problems.append(Problem(f"{where}: auth.redirect_uri", f"'{uri}' does not end with /oauth2callback",
                                    "the app's public address followed by /oauth2callback"))
        if parsed.scheme != "https" and not (parsed.scheme == "http" and is_loopback(parsed.hostname)):
            problems.append(Problem(f"{where}: auth.redirect_uri", f"'{uri}' is not an https:// address",
                                    "the sign-in cookie must travel over HTTPS (http only for 127.0.0.1)"))
    secret = auth.get("cookie_secret")
    if isinstance(secret, str) and secret.strip() and len(secret) < MIN_COOKIE_SECRET:
        problems.append(Problem(f"{where}: auth.cookie_secret", f"is shorter than {MIN_COOKIE_SECRET} characters",
                                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"))
    named = {k: v for k, v in auth.items() if isinstance(v, Mapping) and any(p in v for p in PROVIDER_KEYS)}
    providers: list[str] = []
    if any(k in auth for k in PROVIDER_KEYS):
        providers.append("default")
        problems += _provider_problems(auth, f"{where}: auth")
    for name, section in named.items():
        providers.append(name)
        if "_" in name:
            problems.append(Problem(f"{where}: auth.{name}", "provider names cannot contain '_'"))
        problems += _provider_problems(section, f"{where}: auth.{name}")
    if not providers:
        problems.append(Problem(f"{where}: auth", "names no identity provider",
                                f"set {', '.join(PROVIDER_KEYS)} (see {DOCS})"))
    if problems:
        raise ServiceRefused("sign-in is misconfigured", problems)
    return tuple(providers)


def _provider_problems(section: Mapping, where: str) -> list[Problem]:
    return [Problem(f"{where}.{key}", "is missing", "as registered at the identity provider")
            for key in PROVIDER_KEYS if not isinstance(section.get(key), str) or not section[key].strip()]


@st.cache_resource(show_spinner=False, max_entries=4)
def _role_config_from_file(path: str, mtime: float) -> RoleConfig:
    return read_roles_file(Path(path))


def _roles(secrets: Mapping, where: str) -> RoleConfig:
    """From the file named by ``roles_file`` (re-read when it changes) or from ``[roles]``."""
    file_name = secrets.get("roles_file")
    try:
        if file_name is not None:
            if not isinstance(file_name, str) or not file_name.strip():
                raise ScorecardError("invalid roles_file", [Problem(f"{where}: roles_file", "must be a file path")])
            path = Path(file_name)
            try:
                mtime = path.stat().st_mtime
            except OSError as exc:
                raise ScorecardError(f"cannot read the roles file {path}",
                                     [Problem(str(path), exc.strerror or str(exc), f"named by roles_file in {where}")]) from None
            return _role_config_from_file(str(path), mtime)
        if "roles" not in secrets:
            raise ScorecardError("no roles are configured for this deployment", [Problem(
                where, "neither [roles] nor roles_file is set", f"see {DOCS}")])
        return parse_roles(_plain(secrets["roles"]), f"{where} [roles]")
    except ServiceRefused:
        raise
    except ScorecardError as error:
        raise ServiceRefused(error.summary, error.problems) from None


def _plain(value):
    """Secrets sections may be read-only mappings; the roles parser wants plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value

"""Who is who in a shared deployment: signed-in users (by e-mail) mapped to roles and sites.

The mapping is plain configuration, kept in the app's secrets (``[roles]`` in
``.streamlit/secrets.toml``) or in a TOML/YAML file whose path the secrets name::

    default = "viewer"                 # role of a signed-in user not listed; omit to refuse them
    [users."ana@example.com"]
    role = "admin"
    [users."raj@example.com"]
    role = "assessor"
    sites = ["Plant Monterrey"]        # "(enterprise)" = the enterprise-wide assessments
    [users."lee@example.com"]
    role = "assessor"
    all_sites = true

E-mails compare case-insensitively. Every problem of the file is reported at once. No Streamlit
here: the UI reads the secrets and hands the data over.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog.yaml_safety import parse_yaml
from errors import PermissionDeniedError, Problem, ScorecardError
from services.access import ROLES, Actor

TOP_KEYS = ("default", "users")
USER_KEYS = ("role", "sites", "all_sites", "name")


@dataclass(frozen=True)
class RoleConfig:
    users: dict[str, Actor] = field(default_factory=dict)
    """Lower-cased e-mail → actor."""
    default: str | None = None
    source: str = "roles"

    def actor_for(self, email: str | None) -> Actor:
        """The actor of a signed-in user; refused when unlisted and there is no default role."""
        key = (email or "").strip().lower()
        if not key:
            raise PermissionDeniedError("your sign-in did not give an e-mail address",
                                        [Problem("sign-in", "no e-mail claim", "ask an admin to check the identity provider's scopes (openid email)")])
        if key in self.users:
            return self.users[key]
        if self.default is not None:
            return Actor(user=key, role=self.default)
        raise PermissionDeniedError(f"{key} has no role in this deployment",
                                    [Problem(self.source, f"{key} is not listed", "ask an admin to add you to the roles configuration")])


def parse_roles(data: Any, source: str = "roles") -> RoleConfig:
    """Validate the roles mapping; one ScorecardError lists every problem."""
    if not isinstance(data, Mapping):
        raise ScorecardError("invalid roles configuration", [Problem(source, "expected a table with 'default' and 'users'")])
    problems: list[Problem] = [Problem(f"{source}: {k}", "unknown key", f"allowed: {', '.join(TOP_KEYS)}")
                               for k in data if k not in TOP_KEYS]
    default = data.get("default")
    if default is not None and default not in ROLES:
        problems.append(Problem(f"{source}: default", f"'{default}' is not a role", f"one of {', '.join(ROLES)}"))
    users: dict[str, Actor] = {}
    raw_users = data.get("users", {})
    if not isinstance(raw_users, Mapping):
        problems.append(Problem(f"{source}: users", "expected a table of e-mail → settings"))
        raw_users = {}
    for email, entry in raw_users.items():
        actor = _user(str(email), entry, f"{source}: users.{email}", problems)
        if actor is not None:
            if actor.user in users:
                problems.append(Problem(f"{source}: users.{email}", "listed twice (e-mails ignore case)"))
            users[actor.user] = actor
    if problems:
        raise ScorecardError(f"{len(problems)} problem(s) in the roles configuration", problems)
    return RoleConfig(users=users, default=default, source=source)


def read_roles_file(path: Path) -> RoleConfig:
    """Read a roles file (.toml, or .yaml/.yml read with the safe loader)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScorecardError(f"cannot read the roles file {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            data = parse_yaml(raw.decode("utf-8-sig")).data
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ScorecardError(f"cannot read the roles file {path}", [Problem(path.name, str(exc).splitlines()[0])]) from None
    return parse_roles(data or {}, path.name)


def _user(email: str, entry: Any, where: str, problems: list[Problem]) -> Actor | None:
    key = email.strip().lower()
    if "@" not in key:
        problems.append(Problem(where, f"'{email}' is not an e-mail address"))
        return None
    if not isinstance(entry, Mapping):
        problems.append(Problem(where, "expected a table with 'role' (and 'sites' for assessors)"))
        return None
    before = len(problems)
    problems.extend(Problem(f"{where}.{k}", "unknown key", f"allowed: {', '.join(USER_KEYS)}") for k in entry if k not in USER_KEYS)
    role = entry.get("role")
    if role not in ROLES:
        problems.append(Problem(f"{where}.role", f"{role!r} is not a role", f"one of {', '.join(ROLES)}"))
    sites = entry.get("sites", [])
    if not isinstance(sites, list) or not all(isinstance(s, str) and s.strip() for s in sites):
        problems.append(Problem(f"{where}.sites", "expected a list of site names"))
        sites = []
    all_sites = entry.get("all_sites", False)
    if not isinstance(all_sites, bool):
        problems.append(Problem(f"{where}.all_sites", f"{all_sites!r} is not true/false"))
    if len(problems) > before:
        return None
    return Actor(user=key, role=role, sites=frozenset(s.strip() for s in sites), all_sites=all_sites)

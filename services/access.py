"""Who may do what: actors, roles and the checks every service write makes.

Roles (docs/deployment.md):
- ``viewer``: reads dashboards, assessments, trends, audit log and reports; writes nothing.
- ``assessor``: additionally creates and edits assessments, answers, targets, findings and evidence
  for the sites assigned to them (`sites`, by site name; `ENTERPRISE` for enterprise-wide
  assessments). An assessor with ``all_sites`` is assigned every site.
- ``admin``: everything, including finalise/reopen, sites, bundle import and the demo.

The checks live here, in the service layer, so the UI hiding a button is never the only guard. The
CLI and the local single-user app act as `local_admin()`.
"""

from __future__ import annotations

import getpass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from errors import PermissionDeniedError, Problem

Role = Literal["viewer", "assessor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "assessor", "admin")
ENTERPRISE = "(enterprise)"
"""The assignment name that lets an assessor edit enterprise-wide assessments."""


class Actor(BaseModel):
    """The signed-in user as the services see them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str
    role: Role
    sites: frozenset[str] = frozenset()
    all_sites: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_edit_site(self, site_name: str | None) -> bool:
        """True when this actor may change content of `site_name` (None = enterprise-wide)."""
        if self.role == "admin":
            return True
        if self.role != "assessor":
            return False
        return self.all_sites or (site_name or ENTERPRISE) in self.sites


def local_admin(user: str | None = None) -> Actor:
    """The actor of the CLI and of the local single-user app: the OS user, as admin."""
    try:
        name = user or getpass.getuser()
    except (KeyError, OSError):
        name = "local"
    return Actor(user=name, role="admin", all_sites=True)


def require_admin(actor: Actor, action: str) -> None:
    if not actor.is_admin:
        raise PermissionDeniedError(
            f"{actor.user} ({actor.role}) may not {action}",
            [Problem("role", f"only an admin may {action}", "ask an admin")],
        )


def require_site_write(actor: Actor, site_name: str | None, action: str) -> None:
    """Refuse unless the actor may change content of the site (None = enterprise-wide)."""
    if actor.may_edit_site(site_name):
        return
    where = site_name or "the enterprise-wide assessments"
    if actor.role == "viewer":
        hint = "viewers can read dashboards and reports; ask an admin for the assessor role"
    else:
        hint = f"you are assigned to: {', '.join(sorted(actor.sites)) or 'no site'}; ask an admin to assign {where}"
    raise PermissionDeniedError(
        f"{actor.user} ({actor.role}) may not {action} for {where}",
        [Problem("role", f"{actor.role} cannot {action} here", hint)],
    )

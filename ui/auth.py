"""Who is using the app: the local single user, or a signed-in user of a shared deployment.

- Local mode (no ``[auth]``, ``[roles]`` or ``roles_file`` in the secrets): one user, the OS
  account, as admin — served only while the server listens on loopback addresses alone and the
  visitor's request is addressed to loopback and did not come through a proxy (ui.serving). The
  sidebar banner states the addresses the server really listens on.
- Shared mode (``[auth]`` present): sign-in with Streamlit's OIDC support (`st.login`); the e-mail
  claim is mapped to a role by the roles configuration (``[roles]`` in the secrets, or a file named
  by ``roles_file``; see services.roles and docs/deployment.md). The services enforce the role.

Any doubt about the configuration (ui.deployment) or the exposure refuses service with a page
saying what is wrong and where; there is no fallback to local mode.
"""

from __future__ import annotations

import logging

import streamlit as st

from errors import Problem
from services.access import Actor, local_admin
from ui import serving
from ui.deployment import DOCS, Deployment, ServiceRefused, read_deployment
from ui.text import md

ACTOR_OVERRIDE = "scorecard.actor_override"
"""Session-state key tests use to act as a given Actor (a browser cannot write session state)."""

_LOG = logging.getLogger(__name__)


def deployment() -> Deployment:
    """The deployment's mode and sign-in configuration (re-read every run: edits apply at once)."""
    return read_deployment()


def shared_mode() -> bool:
    """True when OIDC sign-in is configured (an ``[auth]`` section in the secrets)."""
    return deployment().shared


def local_endpoints() -> tuple[serving.Endpoint, ...]:
    """Where this local-mode server listens; `ServiceRefused` unless that is loopback only, or
    the visitor's request is not a local one. Empty inside the test harness (no server)."""
    if serving.running_under_test_harness():
        return ()
    endpoints = serving.listening_endpoints()
    if not endpoints or not all(e.loopback for e in endpoints):
        raise ServiceRefused("sign-in is not configured and this server can be reached from the network", [
            Problem("server address", f"the server listens on {serving.describe(endpoints)}: without sign-in every "
                    "visitor would be an admin",
                    "serve it on this computer only (streamlit run app.py --server.address 127.0.0.1, or "
                    f"SCORECARD_ADDRESS=127.0.0.1 scripts/run.sh), or configure sign-in ({DOCS})")])
    problem = serving.request_problem(st.context.headers, st.context.ip_address)
    if problem is not None:
        raise ServiceRefused("this app runs in local mode (no sign-in) and serves only this computer", [
            Problem("request", problem, f"open it as http://127.0.0.1 on this computer, or configure sign-in ({DOCS})")])
    return endpoints


def resolve_actor() -> Actor:
    """The actor of this session. In shared mode, an anonymous visitor sees the sign-in page and
    the script stops there; a signed-in user without a role gets a PermissionDeniedError.
    A misconfigured or exposed deployment raises `ServiceRefused`."""
    override = st.session_state.get(ACTOR_OVERRIDE)
    if isinstance(override, Actor):
        return override
    current = deployment()
    if not current.shared:
        local_endpoints()
        return local_admin()
    if not _signed_in():
        _sign_in_page(current.providers)
        st.stop()
    return current.roles.actor_for(st.user.get("email"))


def _sign_in_page(providers: tuple[str, ...]) -> None:
    st.title("Resilience Scorecard")
    st.write("Sign in with your organisation account to see and answer assessments.")
    if providers == ("default",):
        st.button("Sign in", on_click=st.login, type="primary")
        return
    for name in providers:
        st.button(f"Sign in with {md(name)}", on_click=st.login, args=(name,), key=f"login-{name}",
                  type="primary" if len(providers) == 1 else "secondary")


def sign_out_button() -> None:
    """A sign-out button (shared mode, signed in)."""
    if _signed_in():
        st.button("Sign out", on_click=st.logout, key="scorecard-logout")


def _signed_in() -> bool:
    """st.user has no ``is_logged_in`` at all when sign-in is not configured (local mode)."""
    return bool(st.user.get("is_logged_in", False))

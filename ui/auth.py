"""Who is using the app: the local single user, or a signed-in user of a shared deployment.

- Local mode (no ``[auth]`` section in ``.streamlit/secrets.toml``): one user, the OS account, as
  admin. `.streamlit/config.toml` binds the server to 127.0.0.1 so nobody else can reach it, and the
  shell shows a banner saying so.
- Shared mode (``[auth]`` present): sign-in with Streamlit's OIDC support (`st.login`); the e-mail
  claim is mapped to a role by the roles configuration (``[roles]`` in the secrets, or a file named
  by ``roles_file``; see services.roles and docs/deployment.md). The services enforce the role.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from errors import Problem, ScorecardError
from services.access import Actor, local_admin
from services.roles import RoleConfig, parse_roles, read_roles_file

ACTOR_OVERRIDE = "scorecard.actor_override"
"""Session-state key tests use to act as a given Actor (a browser cannot write session state)."""


def _secrets() -> dict:
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # noqa: BLE001 - an unreadable secrets file is reported by Streamlit itself
        return {}


def shared_mode() -> bool:
    """True when OIDC sign-in is configured (an ``[auth]`` section in the secrets)."""
    return "auth" in _secrets()


@st.cache_resource(show_spinner=False)
def _role_config_from_file(path: str, mtime: float) -> RoleConfig:
    return read_roles_file(Path(path))


def role_config() -> RoleConfig:
    """The roles of the shared deployment, from ``[roles]`` or the file named by ``roles_file``."""
    secrets = _secrets()
    file_name = secrets.get("roles_file")
    if file_name:
        path = Path(str(file_name))
        mtime = path.stat().st_mtime if path.exists() else 0.0
        return _role_config_from_file(str(path), mtime)
    roles = secrets.get("roles")
    if roles is None:
        raise ScorecardError("no roles are configured for this deployment",
                             [Problem(".streamlit/secrets.toml", "neither [roles] nor roles_file is set",
                                      "see docs/deployment.md, 'Sign-in, users and roles'")])
    return parse_roles(_plain(roles), "secrets.toml [roles]")


def _plain(value):
    """Secrets sections are read-only AttrDicts; the roles parser wants plain dicts and lists."""
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def resolve_actor() -> Actor:
    """The actor of this session. In shared mode, an anonymous visitor sees the sign-in page and
    the script stops there; a signed-in user without a role gets a PermissionDeniedError."""
    override = st.session_state.get(ACTOR_OVERRIDE)
    if isinstance(override, Actor):
        return override
    if not shared_mode():
        return local_admin()
    if not st.user.is_logged_in:
        _sign_in_page()
        st.stop()
    return role_config().actor_for(st.user.get("email"))


def _sign_in_page() -> None:
    st.title("Resilience Scorecard")
    st.write("Sign in with your organisation account to see and answer assessments.")
    providers = [k for k, v in _secrets().get("auth", {}).items() if hasattr(v, "items")]
    if len(providers) > 1:
        for name in providers:
            st.button(f"Sign in with {name}", on_click=st.login, args=(name,), key=f"login-{name}")
    else:
        st.button("Sign in", on_click=st.login, type="primary")


def sign_out_button() -> None:
    """A sign-out button (shared mode only)."""
    if shared_mode() and st.user.is_logged_in:
        st.button("Sign out", on_click=st.logout, key="scorecard-logout")

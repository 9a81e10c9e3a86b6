"""Shared deployment: roles configuration, and sign-in mapping users to roles in the app."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from errors import PermissionDeniedError, ScorecardError
from services.roles import parse_roles, read_roles_file
from tests.ui.conftest import ROOT, go, raw_texts, texts

ROLES = {
    "default": "viewer",
    "users": {
        "Ana@Example.com": {"role": "admin"},
        "raj@example.com": {"role": "assessor", "sites": ["Plant Test"]},
        "lee@example.com": {"role": "assessor", "all_sites": True},
    },
}


def test_users_map_to_roles_and_sites_ignoring_case() -> None:
    config = parse_roles(ROLES)
    assert config.actor_for("ana@example.COM").role == "admin"
    raj = config.actor_for("raj@example.com")
    assert raj.role == "assessor" and raj.may_edit_site("Plant Test") and not raj.may_edit_site("Other")
    assert config.actor_for("lee@example.com").may_edit_site("Other")
    assert config.actor_for("new@example.com").role == "viewer"


def test_unlisted_users_are_refused_without_a_default() -> None:
    config = parse_roles({"users": {"ana@example.com": {"role": "admin"}}})
    with pytest.raises(PermissionDeniedError, match="no role"):
        config.actor_for("eve@example.com")
    with pytest.raises(PermissionDeniedError, match="e-mail"):
        config.actor_for(None)


def test_every_problem_of_a_roles_file_is_reported() -> None:
    bad = {"defualt": "viewer", "default": "boss",
           "users": {"not-an-email": {"role": "admin"}, "a@x.io": {"role": "owner", "sites": "Plant", "extra": 1},
                     "A@X.io": {"role": "viewer"}}}
    with pytest.raises(ScorecardError) as caught:
        parse_roles(bad, "roles.toml")
    lines = caught.value.lines()
    assert any("defualt" in line and "unknown key" in line for line in lines)
    assert any("'boss' is not a role" in line for line in lines)
    assert any("not-an-email" in line for line in lines)
    assert any("'owner' is not a role" in line for line in lines)
    assert any("sites" in line and "list of site names" in line for line in lines)
    assert any("extra" in line for line in lines)


def test_roles_files_in_toml_and_yaml(tmp_path) -> None:
    toml = tmp_path / "roles.toml"
    toml.write_text('default = "viewer"\n[users."ana@example.com"]\nrole = "admin"\n', encoding="utf-8")
    yaml_file = tmp_path / "roles.yaml"
    yaml_file.write_text("users:\n  raj@example.com: {role: assessor, sites: [Plant Test]}\n", encoding="utf-8")
    assert read_roles_file(toml).actor_for("ana@example.com").is_admin
    assert read_roles_file(yaml_file).actor_for("raj@example.com").sites == frozenset({"Plant Test"})
    broken = tmp_path / "broken.yaml"
    broken.write_text("users: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScorecardError, match="cannot read the roles file"):
        read_roles_file(broken)


AUTH = {"redirect_uri": "https://scorecard.example.com/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration"}


def _shared_app(email: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["roles"] = ROLES
    at.user = {"is_logged_in": email is not None, **({"email": email} if email else {})}
    return at.run()


def test_shared_mode_asks_anonymous_visitors_to_sign_in(ui_db) -> None:
    at = _shared_app(None)
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.selectbox  # nothing else is drawn


def test_shared_mode_maps_the_signed_in_user_to_a_role(draft) -> None:
    at = _shared_app("raj@example.com")
    assert not at.exception
    assert any("Signed in as **raj@example.com** · assessor" in t for t in texts(at.sidebar.caption))
    assert not any("Local mode" in t for t in texts(at.sidebar.info))
    viewer = _shared_app("someone@example.com")
    go(viewer, "questionnaire")
    assert any("(viewer) can read this assessment but not change it" in t for t in texts(viewer.info))


def test_shared_mode_without_roles_says_what_to_configure(ui_db) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "ana@example.com"}
    at.run()
    assert not at.exception
    assert texts(at.error) == ["no roles are configured for this deployment"]
    assert "roles\\_file is set" in " ".join(raw_texts(at.markdown))  # escaped: user text never becomes markdown

"""Issue 11 item 1: a shared deployment fails closed.

Any doubt about the secrets, the sign-in configuration or the roles refuses service with a page
saying what is wrong and where (never a fallback to local mode, where every visitor is an
admin); local mode is served only on loopback addresses. The app is the real app.py (AppTest)
reading real secrets files written by each test.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT, raw_texts, texts
from ui import preflight, serving

AUTH = """
[auth]
redirect_uri = "https://scorecard.example.com/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef-long-enough"
client_id = "scorecard"
client_secret = "s3cret"
server_metadata_url = "https://login.example.com/.well-known/openid-configuration"
"""
ROLES = """
[roles]
default = "viewer"
[roles.users."ana@example.com"]
role = "admin"
"""
REFUSED = "Resilience Scorecard is not available"


def _run(actor_email: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if actor_email is not None:
        at.user = {"is_logged_in": True, "email": actor_email}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _refusal(at: AppTest) -> tuple[str, str]:
    """(summary, details) of the refusal page; fails when the app served anything else."""
    assert [t.value for t in at.title] == [REFUSED], texts(at.title)
    assert not at.sidebar.info and not at.sidebar.selectbox and not at.button  # nothing served, no sign-in
    return " ".join(texts(at.error)), " ".join(texts(at.markdown))


def test_a_syntax_error_in_the_secrets_refuses_service_naming_file_and_line(ui_db, secrets_file) -> None:
    text = AUTH.replace('client_secret = "s3cret"', 'client_secret = "s3cret') + ROLES  # a dropped quote
    path = secrets_file(text)
    summary, details = _refusal(_run())
    assert "secrets file cannot be used" in summary
    assert f"{path}, line {_line_of(text, 'client_secret')}, column" in details and "not valid TOML" in details


def test_secrets_that_are_not_utf8_refuse_service(ui_db, secrets_file) -> None:
    path = secrets_file(AUTH.encode() + b'# caf\xe9\n' + ROLES.encode())
    summary, details = _refusal(_run())
    assert f"{path}, line {_line_of(AUTH + '# caf', '# caf')}" in details and "not UTF-8" in details


def test_an_unreadable_secrets_path_refuses_service(ui_db, secrets_file) -> None:
    path = secrets_file(AUTH)
    path.unlink()
    path.mkdir()  # a directory where the file should be: open() fails even for root
    summary, details = _refusal(_run())
    assert str(path) in details and "cannot be read" in details


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_secrets_file_without_read_permission_refuses_service(ui_db, secrets_file) -> None:
    path = secrets_file(AUTH + ROLES)
    path.chmod(0)
    try:
        summary, details = _refusal(_run())
    finally:
        path.chmod(0o600)
    assert str(path) in details and "cannot be read" in details


def test_sign_in_without_roles_refuses_even_the_sign_in_page(ui_db, secrets_file) -> None:
    secrets_file(AUTH)
    summary, details = _refusal(_run())
    assert summary == "no roles are configured for this deployment"


def test_a_missing_roles_file_refuses_service_naming_it(ui_db, secrets_file, tmp_path) -> None:
    missing = tmp_path / "etc" / "roles.yaml"
    secrets_file(f'roles_file = "{missing}"\n' + AUTH)
    summary, details = _refusal(_run())
    assert str(missing) in summary + details and "No such file" in details


def test_a_broken_roles_file_refuses_service_for_everyone(ui_db, secrets_file, tmp_path) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("users:\n  ana@example.com: {role: admin\n", encoding="utf-8")
    secrets_file(f'roles_file = "{roles}"\n' + AUTH)
    for email in (None, "ana@example.com"):  # anonymous and signed in alike
        summary, details = _refusal(_run(email))
        assert "cannot read the roles file" in summary and "roles.yaml" in details


def test_roles_without_sign_in_do_not_fall_back_to_local_mode(ui_db, secrets_file) -> None:
    secrets_file(AUTH.replace("[auth]", "[authentication]") + ROLES)  # a misspelt section
    summary, details = _refusal(_run())
    assert "roles are configured but sign-in is not" in summary and "no [auth] section" in details


def test_an_incomplete_sign_in_section_lists_every_problem(ui_db, secrets_file) -> None:
    secrets_file(AUTH.replace('client_secret = "s3cret"\n', "")
                 .replace("https://scorecard.example.com", "http://scorecard.example.com")
                 .replace("0123456789abcdef0123456789abcdef-long-enough", "short") + ROLES)
    summary, details = _refusal(_run())
    assert summary == "sign-in is misconfigured"
    assert "auth.client_secret**: is missing" in details
    assert "not an https:// address" in details and "shorter than 32 characters" in details


def test_a_valid_shared_configuration_asks_for_sign_in(ui_db, secrets_file) -> None:
    secrets_file(AUTH + ROLES)
    at = _run()
    assert [b.label for b in at.button] == ["Sign in"] and not at.error
    assert "Signed in as **ana@example.com** · admin" in " ".join(texts(_run("ana@example.com").sidebar.caption))


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.7"])
def test_local_mode_is_refused_when_the_server_listens_beyond_loopback(ui_db, monkeypatch, host) -> None:
    monkeypatch.setattr(serving, "running_under_test_harness", lambda: False)
    monkeypatch.setattr(serving, "listening_endpoints", lambda: (serving.Endpoint(host, 8501),))
    summary, details = _refusal(_run())
    assert "can be reached from the network" in summary
    assert str(serving.Endpoint(host, 8501)) in details


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_local_mode_banner_states_the_loopback_address_really_served(ui_db, monkeypatch, host) -> None:
    monkeypatch.setattr(serving, "running_under_test_harness", lambda: False)
    monkeypatch.setattr(serving, "listening_endpoints", lambda: (serving.Endpoint(host, 8502),))
    at = _run()
    banner = " ".join(texts(at.sidebar.info))
    assert f"listens only on {serving.Endpoint(host, 8502)}" in banner and "(admin)" in banner
    assert "\\[" in " ".join(raw_texts(at.sidebar.info)) or ":" not in host  # the address is escaped too


def test_local_mode_is_refused_when_the_listening_address_cannot_be_read(ui_db, monkeypatch) -> None:
    monkeypatch.setattr(serving, "running_under_test_harness", lambda: False)
    monkeypatch.setattr(serving, "listening_endpoints", lambda: ())
    summary, details = _refusal(_run())
    assert "could not be determined" in details


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("::ffff:127.0.0.1", True),
    ("localhost", True), ("LOCALHOST", True), ("", False), ("0.0.0.0", False), ("::", False), ("10.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("scorecard.example.com", False), ("localhost.evil.example", False), ("127.0.0.1.nip.io", False),
])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert serving.is_loopback(host) is loopback


def test_the_listening_sockets_are_read_from_the_process_not_from_settings() -> None:
    sockets = []
    try:
        for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1"), (socket.AF_INET, "0.0.0.0")):
            s = socket.socket(family)
            s.bind((host, 0))
            s.listen()
            sockets.append((s, serving.Endpoint(host, s.getsockname()[1])))
        found = serving.listening_endpoints()
        for _, endpoint in sockets:
            assert endpoint in found
        assert not all(e.loopback for e in found)
    finally:
        for s, _ in sockets:
            s.close()


@pytest.mark.parametrize(("headers", "remote", "reason"), [
    ({"Host": "127.0.0.1:8501"}, None, None),
    ({"Host": "localhost:8501"}, None, None),
    ({"Host": "[::1]:8501"}, None, None),
    ({"Host": "scorecard.example.com"}, None, "addressed to 'scorecard.example.com'"),  # DNS rebinding
    ({"Host": "127.0.0.1:8501", "X-Forwarded-For": "10.1.2.3"}, None, "through a proxy"),
    ({"Host": "127.0.0.1:8501", "Forwarded": "for=10.1.2.3"}, None, "through a proxy"),
    ({"Host": "127.0.0.1:8501"}, "10.1.2.3", "came from 10.1.2.3"),
])
def test_a_local_mode_request_must_be_local(headers, remote, reason) -> None:
    class Headers(dict):
        def get(self, key, default=None):
            return next((v for k, v in self.items() if k.lower() == key.lower()), default)

    problem = serving.request_problem(Headers(headers), remote)
    assert (problem is None) if reason is None else (reason in problem)


def test_preflight_refuses_an_open_address_without_sign_in(secrets_file) -> None:
    secrets_file("# no sign-in configured\n")
    for address in ("0.0.0.0", "", "::", "192.168.1.20", "scorecard.example.com"):
        reason = preflight.check(address)
        assert reason and "sign-in is not configured" in reason, address
    assert preflight.check("127.0.0.1") is None and preflight.check("::1") is None


def test_preflight_refuses_a_broken_configuration_on_any_address(secrets_file) -> None:
    path = secrets_file(AUTH + "[roles\n")
    for address in ("127.0.0.1", "0.0.0.0"):
        reason = preflight.check(address)
        assert reason and f"{path}, line {_line_of(AUTH + '[roles', '[roles')}" in reason
    secrets_file(AUTH + ROLES)
    assert preflight.check("0.0.0.0") is None  # sign-in configured: the network may reach it


@pytest.mark.slow
def test_run_script_refuses_to_start_on_all_interfaces_without_sign_in(tmp_path: Path) -> None:
    database = tmp_path / "scorecard.db"
    env = {**os.environ, "SCORECARD_ADDRESS": "0.0.0.0", "SCORECARD_DB_URL": f"sqlite:///{database}",
           "HOME": str(tmp_path)}
    done = subprocess.run([str(ROOT / "scripts" / "run.sh")], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "refusing to start: sign-in is not configured" in done.stderr and "SCORECARD_ADDRESS=127.0.0.1" in done.stderr
    assert not database.exists()  # stopped before touching the database, let alone serving


def test_a_database_error_in_local_mode_is_a_message_not_a_traceback(ui_db, monkeypatch) -> None:
    from errors import Problem, ScorecardError
    from ui import main

    def refuse(db) -> None:
        raise ScorecardError("the database schema is at revision 0001; this version needs revision 0002",
                             [Problem("database", "schema too old", "run: scorecard db upgrade")])

    monkeypatch.setattr(main, "ensure_schema_current", refuse)
    at = _run()
    assert texts(at.error) == ["the database schema is at revision 0001; this version needs revision 0002"]
    assert not at.button  # no sign-out in local mode

"""A small but correct OpenID Connect provider on 127.0.0.1, for the real sign-in tests.

Authorization-code flow with PKCE (S256), as an identity provider such as Entra ID or Keycloak
runs it for `st.login`:

- ``GET /.well-known/openid-configuration``: the discovery document.
- ``GET /authorize``: checks client, redirect URI, scope, state, nonce and PKCE challenge, then
  shows a sign-in form (one e-mail field: the test types who signs in). ``POST /authorize``
  issues a one-time code bound to all of them and redirects back with ``code`` and ``state``.
- ``POST /token``: client authentication (HTTP Basic or form), the code (once, within 60 s, same
  redirect URI, PKCE verifier); answers an access token and an ID token signed RS256 (``iss``,
  ``sub``, ``aud``, ``exp``, ``iat``, ``nonce``, ``at_hash``, ``email``, ``email_verified``).
- ``GET /jwks``: the public key; ``GET /userinfo`` (Bearer); ``GET /logout``: end session and
  redirect to a registered ``post_logout_redirect_uri``.

Every request is recorded in `events` (what, for whom) for the tests to assert on.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CODE_LIFETIME_S = 60
TOKEN_LIFETIME_S = 600


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    challenge: str
    email: str
    issued: float = field(default_factory=time.monotonic)


class OidcProvider:
    """Run with `with OidcProvider(client_id, client_secret, redirect_uris) as idp:`; `idp.issuer`
    is its base URL (discovery at ``idp.issuer + "/.well-known/openid-configuration"``)."""

    def __init__(self, client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uris = set(redirect_uris)
        self.key = RSAKey.generate_key(2048, parameters={"kid": "scorecard-test-1", "use": "sig", "alg": "RS256"})
        self.events: list[tuple[str, str]] = []
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> OidcProvider:
        threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def record(self, what: str, detail: str = "") -> None:
        with self._lock:
            self.events.append((what, detail))

    # --- the protocol ------------------------------------------------------------------------

    def check_authorization(self, query: dict[str, str]) -> str | None:
        """Why an authorization request is refused, or None."""
        if query.get("response_type") != "code":
            return "response_type must be code"
        if query.get("client_id") != self.client_id:
            return "unknown client_id"
        if query.get("redirect_uri") not in self.redirect_uris:
            return "redirect_uri is not registered"
        if "openid" not in query.get("scope", "").split():
            return "scope must include openid"
        for required in ("state", "nonce", "code_challenge"):
            if not query.get(required):
                return f"{required} is required"
        if query.get("code_challenge_method") != "S256":
            return "code_challenge_method must be S256"
        return None

    def issue_code(self, query: dict[str, str], email: str) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = Grant(query["client_id"], query["redirect_uri"], query["nonce"],
                                      query["code_challenge"], email)
        self.record("code", email)
        return code

    def exchange(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict]:
        """The token endpoint: (HTTP status, JSON body)."""
        client_id, client_secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if client_id != self.client_id or not secrets.compare_digest(client_secret, self.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code is used once
        if grant is None or time.monotonic() - grant.issued > CODE_LIFETIME_S:
            return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        if _b64(hashlib.sha256(verifier.encode()).digest()) != grant.challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[access_token] = grant.email
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": _subject(grant.email), "aud": client_id, "iat": now,
                  "exp": now + TOKEN_LIFETIME_S, "nonce": grant.nonce, "email": grant.email, "email_verified": True,
                  "name": grant.email.split("@")[0].replace(".", " ").title(),
                  "at_hash": _b64(hashlib.sha256(access_token.encode()).digest()[:16])}
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        self.record("token", grant.email)
        return 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S,
                     "id_token": id_token, "scope": "openid email profile"}

    def userinfo(self, access_token: str) -> dict | None:
        with self._lock:
            email = self._tokens.get(access_token)
        return None if email is None else {"sub": _subject(email), "email": email, "email_verified": True}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _subject(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


SIGN_IN_FORM = """<!doctype html><html><head><title>Test identity provider</title></head><body>
<h1>Test identity provider</h1><form method="post" action="/authorize">{hidden}
<label>E-mail <input name="email" type="email" autofocus></label>
<button type="submit">Continue</button></form></body></html>"""


def _handler(idp: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(200, idp.metadata())
            elif url.path == "/jwks":
                self._json(200, {"keys": [idp.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                refused = idp.check_authorization(query)
                if refused:
                    idp.record("refused", refused)
                    self._page(400, f"<p>Invalid request: {html.escape(refused)}</p>")
                    return
                idp.record("authorize", query.get("prompt", ""))
                hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                                 for k, v in query.items())
                self._page(200, SIGN_IN_FORM.format(hidden=hidden))
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                info = idp.userinfo(token)
                self._json(200, info) if info else self._json(401, {"error": "invalid_token"})
            elif url.path == "/logout":
                target = query.get("post_logout_redirect_uri", "")
                idp.record("logout", target)
                if target in idp.redirect_uris:
                    self._redirect(target)
                else:
                    self._page(200, "<p>Signed out.</p>")
            else:
                self._page(404, "<p>Not found</p>")

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            url = urlparse(self.path)
            if url.path == "/authorize":
                query = {k: v for k, v in form.items() if k != "email"}
                refused = idp.check_authorization(query)
                email = form.get("email", "").strip()
                if refused or "@" not in email:
                    self._page(400, f"<p>Invalid request: {html.escape(refused or 'e-mail required')}</p>")
                    return
                code = idp.issue_code(query, email)
                self._redirect(f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}")
            elif url.path == "/token":
                status, body = idp.exchange(form, self._basic())
                self._json(status, body)
            else:
                self._page(404, "<p>Not found</p>")

        def _basic(self) -> tuple[str, str] | None:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return None
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return unquote_plus(user), unquote_plus(password)

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _page(self, status: int, body: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler

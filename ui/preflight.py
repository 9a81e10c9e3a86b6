"""Before the server starts: refuse an address that would serve an open admin app to the network.

``python -m ui.preflight ADDRESS`` (scripts/run.sh runs it from the project folder, where
``streamlit run app.py`` reads its configuration) reads Streamlit's configuration with ADDRESS as
``server.address``, then the secrets and roles exactly as the app does (ui.deployment). Exit 0
when sign-in is configured without a problem, or when there is no sign-in and ADDRESS is a
loopback address; otherwise exit 1 with the reason and the fix on stderr. The running app checks
again, against the sockets it really listens on (ui.auth.local_endpoints).
"""

from __future__ import annotations

import sys

from streamlit import config

from errors import ScorecardError
from ui.deployment import DOCS, read_deployment
from ui.serving import is_loopback


def check(address: str) -> str | None:
    """Why the app must not start on `address` ("" = every interface), or None when it may."""
    config.get_config_options(force_reparse=True)  # config.toml may name other secrets files
    try:
        deployment = read_deployment()
    except ScorecardError as error:
        return f"refusing to start: {error}"
    if deployment.shared or is_loopback(address):
        return None
    shown = address or "every network interface"
    return (f"refusing to start: sign-in is not configured, and on {shown} anyone who can reach this computer "
            f"would be an admin.\n  Either serve on this computer only (SCORECARD_ADDRESS=127.0.0.1, the default),\n"
            f"  or configure sign-in: [auth] and [roles] in .streamlit/secrets.toml (see {DOCS}).")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ui.preflight ADDRESS", file=sys.stderr)
        return 2
    reason = check(argv[0])
    if reason:
        print(reason, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

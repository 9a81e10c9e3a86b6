#!/usr/bin/env bash
# Set up, prepare the embedded SQLite database with the demo organisation, and serve the app.
# SCORECARD_ADDRESS (default 127.0.0.1) and SCORECARD_PORT (default 8501) say where. Another
# address than loopback is refused unless sign-in is configured (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
address="${SCORECARD_ADDRESS:-127.0.0.1}"
# Before anything else: without sign-in, an address other than loopback would make every visitor
# an admin; a broken secrets or roles file would leave nobody served. Both stop here, explained.
.venv/bin/python -m ui.preflight "$address"
.venv/bin/scorecard db upgrade
.venv/bin/scorecard demo load --if-empty
exec .venv/bin/streamlit run app.py --server.address "$address" --server.port "${SCORECARD_PORT:-8501}" --server.headless true --browser.gatherUsageStats false

#!/usr/bin/env bash
# Set up, prepare the embedded SQLite database with the demo organisation, and serve the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/scorecard db upgrade
.venv/bin/scorecard demo load --if-empty
exec .venv/bin/streamlit run app.py --server.address "${SCORECARD_ADDRESS:-127.0.0.1}" --server.port "${SCORECARD_PORT:-8501}" --server.headless true --browser.gatherUsageStats false

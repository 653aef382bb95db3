#!/usr/bin/env bash
# Set up, build (or update) the index from seeds/, and start the chat UI.
# Usage: bash scripts/run.sh [extra streamlit args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
.venv/bin/python -m rag index
exec .venv/bin/python -m streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"

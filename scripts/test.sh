#!/usr/bin/env bash
# Set up and run the whole test suite (unit + integration on the real models, Chroma
# embedded and server, the API over uvicorn, the Streamlit app, and a real browser
# when /usr/bin/chromium is installed). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
exec .venv/bin/python -m pytest -q "$@"

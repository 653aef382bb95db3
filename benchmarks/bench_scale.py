#!/usr/bin/env python
"""Scaling benchmark: index throughput, memory and ask/check latency at 1k and 10k passages.

    .venv/bin/python benchmarks/bench_scale.py              # 1k + 10k passages (a few minutes)
    .venv/bin/python benchmarks/bench_scale.py --max 100000 # adds 100k (run by hand; slow)
    .venv/bin/python benchmarks/bench_scale.py --model fake --sizes 300,1000   # smoke run

Writes results.json, results.md and latency_vs_size.png next to this file (``--out``
to change). The work is done by :mod:`rag.bench`; see its docstring for the method.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rag.bench import add_arguments, main  # noqa: E402

if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.set_defaults(out=HERE)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    raise SystemExit(main(parser.parse_args()))

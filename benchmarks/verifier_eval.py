"""Claim-verifier accuracy on the gold claims, split by odd/even id, per sentence embedder.

Evidence is retrieved once with the pipeline (its own embedder) and cached; each
verifier is then run on the same evidence. Usage (from the repo root)::

    RAG_INDEX_DIR=/tmp/idx python benchmarks/verifier_eval.py [--embedders minilm,mpnet] [--show]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from rag.embeddings import SentenceTransformerEmbedder  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.types import Citation  # noqa: E402
from rag.verify import RuleVerifier  # noqa: E402

MODELS = {"minilm": "all-MiniLM-L6-v2", "mpnet": "all-mpnet-base-v2"}
CLAIMS = Path(__file__).resolve().parents[1] / "rag" / "eval" / "data" / "claims.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedders", default="minilm,mpnet")
    ap.add_argument("--cache", default="/tmp/rag-verifier-evidence.json",
                    help="evidence cache (delete it after re-indexing or changing retrieval)")
    ap.add_argument("--show", action="store_true", help="print the wrong cases")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    claims = [json.loads(line) for line in CLAIMS.read_text().splitlines() if line.strip()]
    settings = Settings.from_env()
    pipe = Pipeline(settings)
    cache = Path(args.cache)
    ev: dict[str, list[dict]] = json.loads(cache.read_text()) if cache.exists() else {}
    if any(c["id"] not in ev for c in claims):
        for c in claims:
            ev[c["id"]] = [cit.to_dict()
                           for cit in pipe.evidence_for(c["claim"])]
        cache.write_text(json.dumps(ev))
    nlp = pipe.nlp.get
    results = {}
    for short in args.embedders.split(","):
        v = RuleVerifier(SentenceTransformerEmbedder(MODELS[short]), nlp=nlp)
        rows = []
        t0 = time.perf_counter()
        for c in claims:
            cits = [Citation(**d) for d in ev[c["id"]]]
            verdict = v.verify(c["claim"], cits)
            rows.append((c, verdict))
        dt = time.perf_counter() - t0
        acc = {}
        for part, keep in (("all", lambda n: True), ("odd", lambda n: n % 2 == 1), ("even", lambda n: n % 2 == 0)):
            sel = [(c, vd) for c, vd in rows if keep(int(c["id"][1:]))]
            acc[part] = sum(vd.label.value == c["label"] for c, vd in sel) / len(sel)
        print(f"{short}: all {acc['all']:.3f}  odd {acc['odd']:.3f}  even {acc['even']:.3f}  ({dt:.1f}s)")
        results[short] = {"acc": acc, "pred": {c["id"]: vd.label.value for c, vd in rows}}
        if args.show:
            for c, vd in rows:
                if vd.label.value != c["label"]:
                    print(f"  {c['id']} gold={c['label']} got={vd.label.value}: {c['claim']}\n      {vd.explanation[:200]}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m rag index | ask | check | serve | eval | bench``.

With ``--json`` stdout carries only the JSON object; logs and progress go to stderr.
Errors meant for users become a one-line message and exit status 1 (2 for usage).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from rag.errors import RagError
from rag.progress import stage_progress

log = logging.getLogger("rag.cli")


def _pipeline(args: argparse.Namespace) -> Any:
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    return Pipeline(Settings.from_env())


def _emit(obj: dict[str, Any], indent: int | None = 2) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=indent) + "\n")
    sys.stdout.flush()


def cmd_index(args: argparse.Namespace) -> int:
    pipe = _pipeline(args)
    progress = stage_progress()
    try:
        report = pipe.build_index(progress=progress, rebuild=args.rebuild)
    finally:
        progress.close()  # an error then starts a line of its own, not the end of a bar's
    if report.documents == 0:
        # Otherwise every later ask says only "nothing was retrieved".
        print(f"warning: no articles to index in {pipe.settings.seeds_dir}: add .txt or .md files "
              "(or set RAG_SEEDS_DIR) and run `python -m rag index` again", file=sys.stderr)
    if args.json:
        _emit(report.to_dict())
        return 0
    state = "built" if report.changed else "up to date"
    print(f"Index {state}: {report.documents} documents, {report.passages} passages "
          f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s")
    for label, names in (("added", report.added_documents), ("updated", report.updated_documents),
                         ("removed", report.removed_documents)):
        if names:
            print(f"  {label}: {', '.join(names)}")
    for s in report.skipped:
        print(f"  skipped {s.name}: {s.reason}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    pipe = _pipeline(args)
    if args.stream:
        # NDJSON events on stdout: token, sentence, answer (see README, "Generative answers").
        for event in pipe.ask_stream(args.question):
            _emit(event.to_dict(), indent=None)
        return 0
    if pipe.generative and not args.json:
        # The draft goes to stderr as the model writes; stdout gets only the checked answer.
        answer = None
        for event in pipe.ask_stream(args.question):
            if event.kind == "token":
                sys.stderr.write(event.text)
                sys.stderr.flush()
            elif event.kind == "answer":
                answer = event.answer
        sys.stderr.write("\n\n")
        assert answer is not None
    else:
        answer = pipe.ask(args.question)
    for w in answer.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        _emit(answer.to_dict())
        return 0
    if answer.abstained:
        print(answer.answer)
        if answer.reason:
            print(f"({answer.reason})")
        return 0
    for s in answer.sentences:
        marks = "".join(f"[{i + 1}]" for i in s.citations)
        flag = "(removed: its citations do not support it)" if not s.supported else ""
        print(" ".join(x for x in (s.text, marks, flag) if x))
    print()
    for i, c in enumerate(answer.citations, 1):
        print(f"[{i}] {c.doc} {c.start}-{c.end}: “{c.quote}”")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    pipe = _pipeline(args)
    verdict = pipe.check(args.claim)
    for w in verdict.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        _emit(verdict.to_dict())
        return 0
    print(f"{verdict.label.value} (confidence {verdict.confidence:.2f}): {verdict.explanation}")
    for e in verdict.evidence:
        c = e.citation
        print(f"  [{e.relation.value}] {c.doc} {c.start}-{c.end}: “{c.quote}”")
    return 0


def _check_can_listen(host: str, port: int) -> None:
    """Fail in one line now rather than after loading the models (uvicorn binds late)."""
    import errno
    import socket

    from rag.errors import ConfigError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            sock.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is already in use; stop the other server "
                              "or pass another --port") from exc
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                          "check --host and --port") from exc


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from rag.corpus import check_seeds_dir
    from rag.llm import check_backends
    from rag.settings import Settings

    if args.limit_concurrency is not None:
        # The app's own limiter (rag.api.ConcurrencyLimit) answers overload with a JSON 503;
        # uvicorn's --limit-concurrency would answer in plain text, so it is not used. The
        # variable reaches every worker process through the environment.
        os.environ["RAG_MAX_CONCURRENCY"] = str(args.limit_concurrency)
    # Checked before uvicorn starts: its errors are log lines among others, after the warm-up.
    settings = Settings.from_env()
    check_seeds_dir(settings.seeds_dir)
    check_backends(settings)
    _check_can_listen(args.host, args.port)
    uvicorn.run("rag.api:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="info")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from rag.eval.run import main as eval_main

    return eval_main(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from rag.bench import main as bench_main

    return bench_main(args)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m rag", description="Grounded fact-checking over a news corpus.")
    p.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("index", help="build or update the index from the seeds folder")
    s.add_argument("--rebuild", action="store_true", help="re-embed everything")
    s.add_argument("--json", action="store_true", help="machine-readable report on stdout")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("ask", help="answer a question with cited sentences")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print the JSON contract only")
    s.add_argument("--stream", action="store_true",
                   help="print NDJSON events as the answer is written: token, sentence, answer")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("check", help="label a claim SUPPORTED / REFUTED / NOT_ENOUGH_INFO")
    s.add_argument("claim")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("serve", help="run the HTTP API (FastAPI; OpenAPI at /docs)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=_port, default=8000)
    s.add_argument("--workers", type=_positive_int, default=1,
                   help="worker processes (share one index; use a Chroma server for many)")
    s.add_argument("--limit-concurrency", type=_positive_int, default=None, metavar="N",
                   help="requests in progress per worker before the server answers 503 with a JSON "
                        "error and Retry-After (default: RAG_MAX_CONCURRENCY, 64)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("eval", help="score the pipeline and baselines on the gold sets")
    s.add_argument("--qa", default=None, help="gold Q&A JSONL (default: the project's)")
    s.add_argument("--claims", default=None, help="gold claims JSONL (default: the project's)")
    s.add_argument("--out", default="eval-report", help="output folder for report.json/.md and plots")
    s.add_argument("--no-baselines", action="store_true", help="score only our pipeline")
    s.add_argument("--no-claims", action="store_true", help="skip the claims set")
    s.add_argument("--generator", action="append", choices=["llamacpp", "ollama", "openai"],
                   help="also score answers written by this chat model, side by side (repeatable)")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("bench", help="scaling benchmark: index throughput, memory, ask/check latency by size")
    from rag.bench import add_arguments

    add_arguments(s)
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        logging.getLogger("rag").setLevel(logging.INFO if args.command == "index" else logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

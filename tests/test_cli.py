"""Tests for rag.cli: ``python -m rag index | ask`` as subprocesses, and ``main()`` in-process.

Subprocesses run on the fake embedder with private seeds and index folders; the ones
that do not depend on each other run in parallel to keep the suite fast.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag.answer import NOT_IN_CORPUS
from rag.cli import main

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
BLOOMBERG_Q = "Which outlet reported the Foreign Affairs Ministry statement?"


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update({
        "RAG_SEEDS_DIR": str(root / "seeds"),
        "RAG_INDEX_DIR": str(root / "index"),
        "RAG_EMBEDDING_MODEL": "fake",
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(PROJECT),
    })
    return env


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "rag", *args], cwd=PROJECT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("cli")
    shutil.copytree(SEEDS, root / "seeds")
    env = _env(root)
    wave1 = {"index": _start(env, "index", "--json"), "empty": _start(env, "ask", "")}
    done = {name: _finish(p) for name, p in wave1.items()}
    done["ask"] = _finish(_start(env, "ask", "--json", BLOOMBERG_Q))
    return done


def test_index_json_reports_counts(runs: dict) -> None:
    r = runs["index"]
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)  # nothing but the JSON object on stdout
    assert report["changed"] is True
    assert report["documents"] == 5
    assert report["passages"] == report["embedded"] > 50
    assert report["reused"] == 0
    assert report["skipped"] == []
    assert len(report["added_documents"]) == 5
    assert "Traceback" not in r.stderr


def test_ask_json_is_the_contract_only(runs: dict) -> None:
    r = runs["ask"]
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert {"answer", "abstained", "sentences", "citations"} <= set(answer)
    assert answer["abstained"] is False
    assert "Bloomberg" in answer["answer"]
    assert all(s["citations"] for s in answer["sentences"])
    for c in answer["citations"]:
        text = (SEEDS / c["doc"]).read_text(encoding="utf-8")
        assert text[c["start"] : c["end"]] == c["quote"]
    assert "Traceback" not in r.stderr


def test_empty_question_is_a_one_line_error(runs: dict) -> None:
    r = runs["empty"]
    assert r.returncode == 1
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error:") and "empty" in lines[0]


# ------------------------------------------------------------------ in-process
@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seeds_copy: Path) -> Path:
    for var in [k for k in os.environ if k.startswith("RAG_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("RAG_SEEDS_DIR", str(seeds_copy))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "fake")
    return tmp_path


def _one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error:")
    return lines[0]


def test_ask_without_index_says_run_index(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", BLOOMBERG_Q]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "python -m rag index" in _one_error_line(err)


@pytest.mark.parametrize(("command", "what"), [("ask", "question"), ("check", "claim")])
def test_invisible_only_text_is_a_one_line_empty_error(cli_env: Path, capsys: pytest.CaptureFixture[str],
                                                        command: str, what: str) -> None:
    assert main([command, "--json", "\u200b\ufeff\u00a0\u2060"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"the {what} is empty" in _one_error_line(err)


def test_bad_setting_is_a_one_line_error(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("RAG_TOP_K", "lots")
    assert main(["ask", BLOOMBERG_Q]) == 1
    _, err = capsys.readouterr()
    line = _one_error_line(err)
    assert "RAG_TOP_K" in line and "lots" in line


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


@pytest.mark.parametrize(("option", "bad"), [(o, b) for o in ("--limit-concurrency", "--workers")
                                              for b in ("0", "-3", "many")])
def test_serve_counts_must_be_positive(option: str, bad: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("the server must not start"))
    with pytest.raises(SystemExit) as info:
        main(["serve", option, bad])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert option in err and "at least 1" in err


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_eval_unwritable_out_is_one_line_before_any_work(where: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.pipeline

    monkeypatch.setattr(rag.pipeline, "Pipeline", lambda *a, **kw: pytest.fail("nothing is evaluated"))
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["eval", "--no-baselines", "--out", str(tmp_path / where)]) == 1
    err = capsys.readouterr().err
    assert "cannot write the report in" in err and "--out" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(("make", "phrase"), [
    (lambda path: path.write_bytes(b'\xff\xfe not text\n'), ":1: not UTF-8"),
    (lambda path: path.mkdir(), "cannot read gold file"),
], ids=["not-utf8", "a-folder"])
def test_eval_unreadable_gold_file_is_one_line(make, phrase: str, tmp_path: Path,  # noqa: ANN001
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Both were tracebacks (UnicodeDecodeError, IsADirectoryError).
    import rag.pipeline

    monkeypatch.setattr(rag.pipeline, "Pipeline", lambda *a, **kw: pytest.fail("nothing is evaluated"))
    make(tmp_path / "gold.jsonl")
    assert main(["eval", "--no-baselines", "--qa", str(tmp_path / "gold.jsonl"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert phrase in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("content", ["", "\n  \n\t\n"], ids=["empty", "blank-lines"])
@pytest.mark.parametrize("option", ["--qa", "--claims"])
def test_eval_gold_file_without_items_is_one_line(option: str, content: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # It was evaluated: a report of "—" everywhere and exit status 0.
    import rag.pipeline

    monkeypatch.setattr(rag.pipeline, "Pipeline", lambda *a, **kw: pytest.fail("nothing is evaluated"))
    gold = tmp_path / "gold.jsonl"
    gold.write_text(content, encoding="utf-8")
    assert main(["eval", "--no-baselines", option, str(gold), "--out", str(tmp_path / "out")]) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert f"{gold}: has no items" in line and "Traceback" not in line


def test_eval_no_claims_does_not_read_the_claims_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.pipeline
    from rag.errors import RagError

    def reached(*args: object, **kwargs: object) -> None:
        raise RagError("the evaluation started")

    monkeypatch.setattr(rag.pipeline, "Pipeline", reached)
    (tmp_path / "claims.jsonl").write_text("", encoding="utf-8")
    assert main(["eval", "--no-baselines", "--no-claims", "--claims", str(tmp_path / "claims.jsonl"),
                 "--out", str(tmp_path / "out")]) == 1
    assert _one_error_line(capsys.readouterr().err) == "error: the evaluation started"


def test_eval_error_on_a_case_is_not_glued_to_the_progress_bar(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # A gold question over RAG_MAX_QUERY_CHARS stops the run; its error came right after
    # the open "questions" bar ("...case/s]error: the question is ...").
    monkeypatch.setenv("RAG_MAX_QUERY_CHARS", "60")
    gold = cli_env / "qa.jsonl"
    question = "Which outlet reported the statement of the Foreign Affairs Ministry of Mexico?"
    gold.write_text(json.dumps({"id": "x1", "question": question, "answer": None, "answer_keys": [],
                                "evidence": []}) + "\n", encoding="utf-8")
    assert main(["eval", "--qa", str(gold), "--no-claims", "--no-baselines", "--out", str(cli_env / "out")]) == 1
    err = capsys.readouterr().err
    errors = [ln for ln in err.splitlines() if "error:" in ln]
    assert len(errors) == 1 and errors[0].startswith("error: the question is"), err


def test_serve_limit_concurrency_goes_to_the_app_not_uvicorn(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn's own limit answers in plain text; the app's limiter answers with JSON."""
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setenv("RAG_MAX_CONCURRENCY", "64")  # restored after the test
    assert main(["serve", "--port", "8123", "--limit-concurrency", "3"]) == 0
    [call] = calls
    assert call["app"] == "rag.api:create_app" and call["factory"] and call["port"] == 8123
    assert call.get("limit_concurrency") is None
    assert os.environ["RAG_MAX_CONCURRENCY"] == "3"


def test_index_then_ask_in_process(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Index built: 5 documents")
    assert main(["index"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Index up to date: 5 documents") and "0 embedded" in out

    assert main(["ask", BLOOMBERG_Q]) == 0
    out, _ = capsys.readouterr()
    assert "Bloomberg" in out
    assert "[1]" in out and "003_625a3d29147f48c6.txt" in out

    assert main(["ask", "What did Lula da Silva say about Bukele?"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0] == NOT_IN_CORPUS

    assert main(["ask", "--json", "What did Lula da Silva say about Bukele?"]) == 0
    out, _ = capsys.readouterr()
    answer = json.loads(out)
    assert answer["abstained"] is True and answer["answer"] == NOT_IN_CORPUS
    assert answer["citations"] == [] and answer["sentences"] == []


def test_a_build_failing_mid_stage_prints_its_error_on_a_line_of_its_own(
        cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # A disk filling up while Chroma writes: the error came right after the open
    # "store" bar, on the same line ("...passage/s]error: writing to Chroma ...").
    import rag.indexing
    from rag.errors import StoreError

    def add(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        raise StoreError("writing to Chroma collection 'x' failed: disk full")

    monkeypatch.setattr(rag.indexing.ChromaStore, "add", add)
    assert main(["index"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    errors = [ln for ln in err.splitlines() if "error:" in ln]
    assert len(errors) == 1 and errors[0].startswith("error: writing to Chroma"), err


def test_index_of_an_empty_seeds_folder_warns_on_stderr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for var in [k for k in os.environ if k.startswith("RAG_")]:
        monkeypatch.delenv(var)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an article
    monkeypatch.setenv("RAG_SEEDS_DIR", str(tmp_path / "seeds"))
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "fake")
    assert main(["index", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["documents"] == 0  # stdout stays the JSON report only
    assert "no articles to index in" in err and str(tmp_path / "seeds") in err and ".md" in err


def _scripted_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    """RAG_GENERATOR=ollama, with the chat model factory returning a scripted fake."""
    from conftest import prompt_passages, scripted_chat_model

    import rag.llm

    def script(prompt: str) -> str:
        sid = next(s for s, t in prompt_passages(prompt).items() if "Bloomberg" in t)
        return f"Bloomberg reported the statement [{sid}]. It was read on television [{sid}]."

    monkeypatch.setenv("RAG_GENERATOR", "ollama")
    monkeypatch.setattr(rag.llm, "load_chat_model", lambda settings: scripted_chat_model(script))


def test_ask_generative_streams_draft_to_stderr_and_checked_answer_to_stdout(
        cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index"]) == 0
    capsys.readouterr()
    _scripted_generator(monkeypatch)
    assert main(["ask", BLOOMBERG_Q]) == 0
    out, err = capsys.readouterr()
    assert "It was read on television [" in err  # the raw draft, as written
    assert out.splitlines()[0].startswith("Bloomberg reported the statement. [1]")
    assert "It was read on television. (removed: its citations do not support it)" in out
    assert "003_625a3d29147f48c6.txt" in out


def test_ask_stream_prints_ndjson_events(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index"]) == 0
    capsys.readouterr()
    _scripted_generator(monkeypatch)
    assert main(["ask", "--stream", BLOOMBERG_Q]) == 0
    out, _ = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines()]
    assert {e["event"] for e in events} == {"token", "sentence", "answer"}
    assert events[-1]["event"] == "answer"
    assert events[-1]["answer"]["answer"] == "Bloomberg reported the statement."


# ------------------------------------------------- environment problems at start-up
def _no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("the server must not start"))


def test_serve_on_a_port_in_use_is_a_one_line_error(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    _no_server(monkeypatch)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--host", "127.0.0.1", "--port", str(port)]) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert f"port {port}" in line and "in use" in line and "--port" in line


def test_serve_on_an_address_not_of_this_machine_is_a_one_line_error(
        cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _no_server(monkeypatch)
    assert main(["serve", "--host", "192.0.2.1", "--port", "8000"]) == 1  # TEST-NET-1: never local
    line = _one_error_line(capsys.readouterr().err)
    assert "192.0.2.1:8000" in line and "--host" in line


@pytest.mark.parametrize("bad", ["70000", "-1", "http"])
def test_serve_port_out_of_range_is_a_usage_error(bad: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _no_server(monkeypatch)
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", bad])
    assert info.value.code == 2
    assert "--port" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["serve"], ["index"]])
def test_missing_seeds_folder_is_a_one_line_error(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    _no_server(monkeypatch)
    monkeypatch.setenv("RAG_SEEDS_DIR", str(cli_env / "no-such-seeds"))
    assert main(command) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert "no-such-seeds" in line and "RAG_SEEDS_DIR" in line


def test_index_folder_not_writable_is_a_one_line_error(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # A folder inside a regular file cannot be created, even by root (chmod would not stop root).
    (cli_env / "a-file").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("RAG_INDEX_DIR", str(cli_env / "a-file" / "index"))
    assert main(["index"]) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert "a-file/index" in line and "RAG_INDEX_DIR" in line and "writable" in line


def test_index_folder_not_writable_in_a_subprocess_has_no_traceback(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    env = {**_env(tmp_path), "RAG_INDEX_DIR": str(tmp_path / "a-file" / "index")}
    r = _finish(_start(env, "index"))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert [ln for ln in r.stderr.splitlines() if ln.startswith("error:")], r.stderr


def test_ask_warns_on_stderr_when_a_cited_article_changed(cli_env: Path, seeds_copy: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index"]) == 0
    capsys.readouterr()
    assert main(["ask", "--json", BLOOMBERG_Q]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["warnings"] == []
    doc = first["citations"][0]["doc"]
    path = seeds_copy / doc
    path.write_text("Correction appended.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["ask", "--json", BLOOMBERG_Q]) == 0
    out, err = capsys.readouterr()
    body = json.loads(out)  # stdout is still only the JSON object
    assert body["warnings"] and doc in body["warnings"][0]
    assert f"warning: {body['warnings'][0]}" in err

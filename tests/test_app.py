"""The Streamlit app, run headless with ``streamlit.testing.v1.AppTest``.

Each test points the app at a private copy of the seeds and a private index folder
through ``RAG_*`` variables, and uses the deterministic fake embedder
(``RAG_EMBEDDING_MODEL=fake``) for speed; the claim verifier is the real one. The
real model in a real browser is covered by ``tests/test_browser.py``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

PROJECT = Path(__file__).resolve().parent.parent
APP = str(PROJECT / "app.py")
TIMEOUT = 300  # seconds per script run; the first run builds the index and loads spaCy

BLOOMBERG_Q = "Which outlet reported the Foreign Affairs Ministry statement?"
EVIL_ARTICLE = (
    "<script>alert('title')</script> Zorblax harbour news\n"
    "The Zorblax council approved the harbour budget on Tuesday <script>alert(1)</script> "
    "[click me](javascript:alert(1)) <img src=x onerror=alert(2)>.\n"
    "The vote was unanimous, according to the Zorblax council.\n"
)


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seeds_copy: Path) -> Iterator[dict[str, Path]]:
    """Point the app at a private seeds copy and an empty index folder (fake embedder)."""
    index = tmp_path / "index"
    monkeypatch.setenv("RAG_SEEDS_DIR", str(seeds_copy))
    monkeypatch.setenv("RAG_INDEX_DIR", str(index))
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "fake")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield {"seeds": seeds_copy, "index": index}
    # The app caches one pipeline per settings for the process; drop this test's.
    st.cache_resource.clear()


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def htmls(at: AppTest) -> list[str]:
    """Bodies of st.html elements, without the stylesheet."""
    bodies = [str(getattr(e, "value", "")) for e in at.get("html")]
    return [b for b in bodies if not b.lstrip().startswith("<style>")]


def badges(at: AppTest) -> list[str]:
    """Badge labels in page order (st.badge renders as ':color-badge[:icon: label]')."""
    out = []
    for md in at.markdown:
        if "-badge[" in md.value:
            out.append(md.value.split("]")[0].split(":")[-1].strip())
    return out


def plain(markdown: str) -> str:
    """Markdown-escaped text as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", markdown)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


# ------------------------------------------------------------------- first run
def test_first_run_builds_the_index(app_env: dict[str, Path]) -> None:
    assert not app_env["index"].exists()
    at = run_app()
    assert (app_env["index"] / "CURRENT").is_file()
    assert not at.error
    assert metric(at, "Articles") == "5"
    assert int(metric(at, "Passages")) > 50
    assert any("Indexed 5 articles" in t.value for t in at.toast)
    status = " ".join(h for h in htmls(at) if "Embedding model" in h)
    assert "fake" in status and "chroma-embedded" in status
    # A second run finds the index and does not rebuild it.
    build = (app_env["index"] / "CURRENT").read_text()
    at.run()
    assert (app_env["index"] / "CURRENT").read_text() == build
    assert not at.toast


# ------------------------------------------------------------------------ chat
def _assert_bloomberg_answer(at: AppTest) -> None:
    page = htmls(at)
    answer = next(h for h in page if 'class="rag-answer"' in h)
    assert "Bloomberg" in answer
    assert '<a class="cite-marker" href="#m1-src-1">[1]</a>' in answer
    card = next(h for h in page if 'class="src-card" id="m1-src-1"' in h)
    assert '<mark class="hl hl-cite">' in card and "reported by Bloomberg" in card
    assert "003_625a3d29147f48c6.txt · chars" in card
    article = next(h for h in page if 'class="article-box"' in h)
    assert 'id="m1-art-1"' in article and "Bloomberg" in article
    assert "Open article" in [e.label for e in at.expander]
    assert badges(at) == ["Answer from the corpus"]
    assert [m.name for m in at.chat_message] == ["user", "assistant"]


def test_ask_renders_answer_with_citations(app_env: dict[str, Path]) -> None:
    at = ask(run_app(), BLOOMBERG_Q)
    _assert_bloomberg_answer(at)
    assert at.session_state["messages"][1]["answer"].citations


def test_example_question_button(app_env: dict[str, Path]) -> None:
    at = run_app()
    at.button(key=f"ex_q_{BLOOMBERG_Q}").click().run()
    assert not at.exception
    _assert_bloomberg_answer(at)


def test_history_survives_reruns(app_env: dict[str, Path]) -> None:
    at = ask(run_app(), BLOOMBERG_Q)
    ask(at, "What did Angela Merkel say about migration?")
    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]
    assert badges(at) == ["Answer from the corpus", "Not in the corpus"]
    clear = next(b for b in at.button if b.label == "Clear conversation")
    clear.click().run()
    assert not at.chat_message


@pytest.mark.parametrize("question", [
    "Who won the 2022 football World Cup?",
    "What did Angela Merkel say about migration?",
])
def test_abstention_looks_different(app_env: dict[str, Path], question: str) -> None:
    at = ask(run_app(), question)
    assert badges(at) == ["Not in the corpus"]
    assert len(at.info) == 1 and "The corpus does not say." in plain(at.info[0].value)
    assert not any('class="rag-answer"' in h for h in htmls(at))
    assert not any("src-card" in h for h in htmls(at))


def test_premise_correction_is_flagged(app_env: dict[str, Path]) -> None:
    at = ask(run_app(), "Why did Sheinbaum refuse to talk to Trump?")
    assert badges(at) == ["Premise corrected"]
    assert any("assumes something the articles contradict" in plain(w.value) for w in at.warning)
    answer = next(h for h in htmls(at) if 'class="rag-answer"' in h)
    assert "does not support the question&#x27;s premise" in answer
    assert any("src-card" in h for h in htmls(at))


# ------------------------------------------------------------------- claim tab
def _check(at: AppTest, text: str) -> AppTest:
    at.text_area(key="claim_text").input(text)
    next(b for b in at.button if b.label == "Check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_claim_check_shows_each_verdict(app_env: dict[str, Path]) -> None:
    at = _check(run_app(), "Bukele is the president of El Salvador. Sheinbaum posted her comments on Facebook. "
                           "The moon is made of cheese.")
    page = htmls(at)
    claims = [h for h in page if 'class="claim-text"' in h]
    assert [c.split(">")[1].split("<")[0] for c in claims] == [
        "Bukele is the president of El Salvador.", "Sheinbaum posted her comments on Facebook.",
        "The moon is made of cheese."]
    assert badges(at) == ["Supported", "Refuted", "Not in the corpus"]
    assert len([c for c in at.caption if c.value.endswith("% confidence")]) == 3
    assert any("the passage says X (formerly Twitter)" in h for h in page if "verdict-why" in h)
    assert any('<mark class="hl hl-refutes">' in h and "X (formerly Twitter)" in h for h in page)
    assert any('<mark class="hl hl-supports">' in h for h in page)
    assert any("Closest passages" in e.label for e in at.expander)  # evidence of the unsupported claim


def test_claim_example_button(app_env: dict[str, Path]) -> None:
    at = run_app()
    at.button(key="ex_c_Sheinbaum posted her comments on Facebook.").click().run()
    assert not at.exception
    assert at.text_area(key="claim_text").value == "Sheinbaum posted her comments on Facebook."
    assert badges(at) == ["Refuted"]


@pytest.mark.parametrize("text", ["   ", "\u200b\u00a0\ufeff", "\u2060\n\n\u200c \u200d"],
                         ids=["spaces", "invisible", "invisible-lines"])
def test_empty_claim(app_env: dict[str, Path], text: str) -> None:
    at = _check(run_app(), text)
    assert any("Type a claim" in plain(w.value) for w in at.warning)
    assert not at.error


@pytest.mark.parametrize("text", ["   ", "\u200b\ufeff\u2060"], ids=["spaces", "invisible"])
def test_blank_question_is_a_warning_kept_out_of_the_history(app_env: dict[str, Path], text: str) -> None:
    at = ask(run_app(), text)
    assert any("Type a question" in plain(w.value) for w in at.warning)
    assert not at.error and not at.chat_message  # no empty user bubble, no error reply
    assert at.session_state["messages"] == []


def test_padded_question_fits_the_chat_box(app_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The question limit counts characters after whitespace collapses: a pasted question
    whose line breaks and indentation take it past the limit is answered, not cut off."""
    monkeypatch.setenv("RAG_MAX_QUERY_CHARS", "70")
    at = run_app()
    question = "Which outlet reported\n" + " " * 80 + "the Foreign Affairs Ministry statement?"
    assert len(question) > 70
    assert at.chat_input[0].max_chars >= len(question)
    ask(at, question)
    assert not at.error
    assert at.session_state["messages"][-1]["role"] == "assistant"
    assert "answer" in at.session_state["messages"][-1]


def test_overlong_question_names_the_setting(app_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_MAX_QUERY_CHARS", "70")
    at = ask(run_app(), "Which outlet reported " * 4)
    shown = " ".join(plain(e.value) for e in at.error) + " ".join(plain(w.value) for w in at.warning)
    assert "RAG_MAX_QUERY_CHARS" in shown, shown


# -------------------------------------------------------------------- uploads
@pytest.mark.parametrize(("name", "data", "reason"), [
    ("bad name.txt", b"Some article text about the harbour.\n", "only letters, digits"),
    ("../escape.txt", b"Some article text about the harbour.\n", "contains a path"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ("latin.txt", "Caf\u00e9 news story.".encode("latin-1"), "not UTF-8"),
    ("empty.txt", b"", "is empty"),
    ("000_1288dd2c134e0c9c.txt", b"Different text, same name.\n", "already exists"),
    ("copy.txt", (PROJECT / "seeds" / "003_625a3d29147f48c6.txt").read_bytes(), "same content as 003_"),
    ("big.txt", b"word " * 2001, "limit is 10,000 bytes"),
])
def test_bad_upload_is_rejected_and_changes_nothing(app_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                                    name: str, data: bytes, reason: str) -> None:
    monkeypatch.setenv("RAG_MAX_FILE_BYTES", "10000")
    at = run_app()
    seeds_before, build = snapshot(app_env["seeds"]), (app_env["index"] / "CURRENT").read_text()
    at.sidebar.file_uploader[0].set_value((name, data, "text/plain")).run()
    assert not at.exception
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1 and reason in plain(errors[0]), errors
    assert snapshot(app_env["seeds"]) == seeds_before
    assert (app_env["index"] / "CURRENT").read_text() == build
    assert metric(at, "Articles") == "5"


def test_good_upload_is_added_and_indexed(app_env: dict[str, Path]) -> None:
    at = run_app()
    at.sidebar.file_uploader[0].set_value(("zorblax.txt", EVIL_ARTICLE.encode(), "text/plain")).run()
    assert not at.exception
    assert not at.sidebar.error, [e.value for e in at.sidebar.error]
    assert any("Added" in s.value and "zorblax.txt" in plain(s.value) for s in at.sidebar.success)
    assert (app_env["seeds"] / "zorblax.txt").read_bytes() == EVIL_ARTICLE.encode()
    assert metric(at, "Articles") == "6"
    # The upload is handled once: a rerun does not try to add it again.
    at.run()
    assert not at.sidebar.error and metric(at, "Articles") == "6"


def test_reindex_button(app_env: dict[str, Path]) -> None:
    at = run_app()
    (app_env["seeds"] / "extra.md").write_text("# Extra\nThe Zorblax council met in Lima.\n", encoding="utf-8")
    next(b for b in at.sidebar.button if b.label == "Re-index").click().run()
    assert not at.exception
    assert any("Index up to date: 6 articles" in plain(s.value) for s in at.sidebar.success)
    assert metric(at, "Articles") == "6"


# --------------------------------------------------------------------- safety
def _no_live_markup(page: list[str]) -> None:
    for h in page:
        low = h.lower()
        assert "<script" not in low and "<img" not in low and "javascript:" not in low.replace(
            "[click me](javascript:alert(1))", ""), h[:300]
        assert 'href="javascript' not in low


def test_untrusted_text_is_rendered_as_text(app_env: dict[str, Path]) -> None:
    (app_env["seeds"] / "zorblax.txt").write_text(EVIL_ARTICLE, encoding="utf-8")
    at = ask(run_app(), "<script>alert('q')</script> What did the Zorblax council approve?")
    page = htmls(at)
    _no_live_markup(page)
    assert any("&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;" in h for h in page)  # the question, escaped
    answer = next(h for h in page if 'class="rag-answer"' in h)
    assert "Zorblax" in answer and "&lt;script&gt;alert(1)&lt;/script&gt;" in answer
    assert "[click me](javascript:alert(1))" in answer  # shown literally, not as a link
    article = next(h for h in page if 'class="article-box"' in h)
    assert "&lt;img src=x onerror=alert(2)&gt;" in article
    # Markdown-rendering elements get escaped text only.
    for md in [*at.markdown, *at.info, *at.error, *at.caption]:
        assert "<script" not in md.value


def test_untrusted_text_in_claim_check(app_env: dict[str, Path]) -> None:
    (app_env["seeds"] / "zorblax.txt").write_text(EVIL_ARTICLE, encoding="utf-8")
    at = _check(run_app(), "The Zorblax council approved the harbour budget. <img src=x onerror=alert(3)>")
    page = htmls(at)
    _no_live_markup(page)
    assert any("&lt;img src=x onerror=alert(3)&gt;" in h for h in page if "claim-text" in h)


# --------------------------------------------------------------------- errors
def test_config_error_is_a_short_message(app_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "bogus-model")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "misconfigured" in at.error[0].value and "RAG_EMBEDDING_MODEL='bogus-model'" in plain(at.error[0].value)
    assert "Traceback" not in at.error[0].value


def _raiser(exc: BaseException) -> Callable[..., Any]:
    def boom(*_: Any, **__: Any) -> Any:
        raise exc

    return boom


def test_library_error_is_shown_briefly(app_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from rag.errors import StoreError
    from rag.pipeline import Pipeline

    at = run_app()
    monkeypatch.setattr(Pipeline, "ask", _raiser(StoreError("the Chroma server at localhost:8000 is down")))
    ask(at, BLOOMBERG_Q)
    assert len(at.error) == 1
    assert "Could not answer" in at.error[0].value and "localhost:8000 is down" in plain(at.error[0].value)


def test_unexpected_error_is_generic_and_logged(app_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    from rag.pipeline import Pipeline

    at = run_app()
    monkeypatch.setattr(Pipeline, "check", _raiser(RuntimeError("secret internals /etc/x")))
    with caplog.at_level("ERROR", logger="rag.app"):
        _check(at, "Sheinbaum posted her comments on Facebook.")
    assert len(at.error) == 1
    assert "Something went wrong" in at.error[0].value and "secret" not in at.error[0].value
    assert any("secret internals" in r.getMessage() or (r.exc_info and "secret" in str(r.exc_info[1]))
               for r in caplog.records)


def test_corrupt_index_offers_a_rebuild(app_env: dict[str, Path]) -> None:
    run_app()
    (app_env["index"] / "CURRENT").write_text(".broken\n", encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1 and "cannot be read" in at.error[0].value
    assert not at.chat_input  # nothing else runs on a broken index
    next(b for b in at.button if b.label == "Rebuild the index").click().run()
    assert not at.exception and not at.error
    assert metric(at, "Articles") == "5"
    assert at.chat_input


def test_index_missing_mid_session_is_rebuilt(app_env: dict[str, Path]) -> None:
    import shutil

    at = run_app()
    shutil.rmtree(app_env["index"])
    ask(at, BLOOMBERG_Q)
    assert (app_env["index"] / "CURRENT").is_file()
    assert any("Bloomberg" in h for h in htmls(at) if 'class="rag-answer"' in h)


# ------------------------------------------------------------ generative mode
def test_generative_answer_shows_only_checked_sentences(app_env: dict[str, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """RAG_GENERATOR set, a scripted chat model: the draft is replaced by the checked
    answer, and the sentence its citation does not support is withheld, struck through."""
    from conftest import prompt_passages, scripted_chat_model

    import rag.llm

    def script(prompt: str) -> str:
        sid = next(s for s, t in prompt_passages(prompt).items() if "Bloomberg" in t)
        return f"Bloomberg reported the statement [{sid}]. The statement was read aloud on Mars [{sid}]."

    monkeypatch.setenv("RAG_GENERATOR", "ollama")
    monkeypatch.setattr(rag.llm, "load_chat_model", lambda settings: scripted_chat_model(script))
    at = ask(run_app(), BLOOMBERG_Q)
    page = htmls(at)
    answer = next(h for h in page if 'class="rag-answer"' in h)
    assert "Bloomberg reported the statement." in answer and "Mars" not in answer
    assert '<a class="cite-marker" href="#m1-src-1">[1]</a>' in answer
    assert not any('class="draft"' in h for h in page)  # the unchecked draft is gone
    assert any(e.label.startswith("Withheld 1 generated sentence") for e in at.expander)
    assert any("<s>The statement was read aloud on Mars.</s>" in h for h in page)
    assert badges(at) == ["Answer from the corpus"]
    assert any("written by a language model" in c.value for c in at.caption)
    assert any("written by ollama, checked" in h for h in page)


def test_project_config_hides_the_deploy_button_from_the_first_page() -> None:
    # st.set_option in app.py reaches only sessions after the first; the project's
    # .streamlit/config.toml is what `streamlit run app.py` (from the project root) reads first.
    import subprocess
    import sys

    code = ("from streamlit import config; "
            "print(config.get_option('client.toolbarMode'), config.get_option('browser.gatherUsageStats'))")
    run = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=60,
                         check=True)
    assert run.stdout.split() == ["minimal", "False"]


def test_an_article_edited_after_indexing_is_flagged(app_env: dict[str, Path]) -> None:
    at = run_app()  # builds the index
    doc = "003_625a3d29147f48c6.txt"
    path = app_env["seeds"] / doc
    path.write_text("Correction: an earlier version misstated a date.\n" + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    st.cache_resource.clear()  # a new session's pipeline: no sweep reused from before the edit
    at = ask(run_app(), BLOOMBERG_Q)
    warnings = [str(w.value).replace("\\", "") for w in at.warning]  # markdown-escaped
    assert any("out of date" in w and doc in w for w in warnings), warnings  # the sidebar
    assert any("changed or was removed" in w and doc in w for w in warnings), warnings  # the answer

"""Streamlit chat UI for the fact-checking library: ``streamlit run app.py``.

UI only. Answering, checking and indexing live in :class:`rag.pipeline.Pipeline`;
escaping, highlighting, badges and upload validation in :mod:`rag.ui_helpers`.
Every text from an article or a user reaches the page either escaped into HTML
(``st.html``) or Markdown-escaped; errors the library raises on purpose
(:class:`RagError`) become a short ``st.error``, anything else a generic message
plus ``logging.exception``.
"""

from __future__ import annotations

import html
import itertools
import json
import logging
import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from rag import ui_helpers as ui
from rag.errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    RagError,
)
from rag.indexing import BuildReport
from rag.pipeline import Pipeline
from rag.settings import Settings
from rag.text import is_blank, raw_input_limit
from rag.types import Answer, Citation, Verdict

log = logging.getLogger("rag.app")

EXAMPLE_QUESTIONS = (
    "Which outlet reported the Foreign Affairs Ministry statement?",
    "What did Trump and Bukele agree to work on?",
    "Why did Sheinbaum refuse to talk to Trump?",
    "What did Angela Merkel say about migration?",
)
EXAMPLE_CLAIMS = (
    "Sheinbaum posted her comments on Facebook.",
    "Bukele is the president of El Salvador.",
    "Mexico disbanded three migrant caravans.",
)
GENERIC_ERROR = "Something went wrong on our side. The details are in the server log; please try again."


# ------------------------------------------------------------------ resources
@st.cache_resource(show_spinner=False)
def _pipeline_for(key: str, _settings: Settings) -> Pipeline:
    # Keyed by the settings, so changing RAG_* variables (or a test's env) gets its own pipeline.
    return Pipeline(_settings)


def get_pipeline() -> Pipeline:
    """The process-wide pipeline for ``Settings.from_env()`` (models load once, lazily)."""
    settings = Settings.from_env()
    return _pipeline_for(json.dumps(settings.to_dict(), sort_keys=True), settings)


@st.cache_resource(show_spinner=False)
def _warm_up(key: str, _pipe: Pipeline) -> threading.Thread:
    """Load the verifier's models in the background once, so the first claim check is quick."""

    def work() -> None:
        try:
            _pipe.warm_up()
        except Exception:  # warm-up is an optimisation; the real request reports errors
            log.warning("warm-up failed", exc_info=True)

    thread = threading.Thread(target=work, name="rag-warm-up", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def _build_lock(key: str) -> threading.Lock:
    # One build at a time per index in this process: other sessions wait instead of failing.
    return threading.Lock()


# ---------------------------------------------------------------- error edges
@contextmanager
def user_errors(action: str) -> Iterator[None]:
    """Show library errors as one short message and anything else as a generic one."""
    try:
        yield
    except RagError as exc:
        st.error(f"Could not {action}: {ui.escape_markdown(str(exc))}", icon=":material/error:")
    except Exception:
        log.exception("unexpected error while trying to %s", action)
        st.error(GENERIC_ERROR, icon=":material/error:")


# ------------------------------------------------------------------- indexing
def run_build(pipe: Pipeline, label: str, rebuild: bool = False) -> BuildReport | None:
    """Build (or update) the index with a progress bar in the current container."""
    bar = st.progress(0.0, text=label)

    def on_progress(stage: str, done: int, total: int) -> None:
        frac, text = ui.progress_fraction(stage, done, total)
        bar.progress(frac, text=f"{label} — {text}")

    report: BuildReport | None = None
    try:
        with _build_lock(str(pipe.settings.index_dir)):
            report = pipe.build_index(progress=on_progress, rebuild=rebuild)
    except IndexBusyError as exc:
        st.warning(ui.escape_markdown(str(exc)), icon=":material/hourglass_top:")
    except RagError as exc:
        st.error(f"Indexing failed: {ui.escape_markdown(str(exc))}", icon=":material/error:")
    except Exception:
        log.exception("index build failed")
        st.error(GENERIC_ERROR, icon=":material/error:")
    bar.empty()
    if report is not None:
        for skipped in report.skipped:
            st.warning(f"Skipped {ui.escape_markdown(skipped.name)}: {ui.escape_markdown(skipped.reason)}")
    return report


def ensure_index(pipe: Pipeline) -> bool:
    """True when an index is ready; builds it on the first run instead of failing."""
    try:
        pipe.status()
        return True
    except (IndexMissingError, IndexMismatchError) as exc:
        first = isinstance(exc, IndexMissingError)
        label = ("Building the search index for the first time" if first
                 else "The index was built with other settings; rebuilding it")
        box = st.empty()
        with box.container(border=True):
            st.markdown(f"**{label}.** This happens once and takes a little while.")
            report = run_build(pipe, label)
        if report is None:
            return False
        if not report.skipped:
            box.empty()
        st.toast(f"Indexed {report.documents} articles ({report.passages} passages) in {report.seconds:.0f} s",
                 icon=":material/check_circle:")
        return True
    except IndexCorruptError as exc:
        st.error(f"The index cannot be read: {ui.escape_markdown(str(exc))}", icon=":material/error:")
        if st.button("Rebuild the index", type="primary", icon=":material/build:") and \
                run_build(pipe, "Rebuilding the index", rebuild=True) is not None:
            st.rerun()
        return False
    except RagError as exc:
        st.error(f"The index is not available: {ui.escape_markdown(str(exc))}", icon=":material/error:")
        return False


def documents_meta(pipe: Pipeline) -> dict[str, dict[str, Any]]:
    """Manifest entries of the indexed articles (title, sha256, size), or {} if unavailable."""
    try:
        return pipe.index.open().documents()
    except RagError:
        return {}


# -------------------------------------------------------------------- sidebar
def sidebar(pipe: Pipeline) -> None:
    settings = pipe.settings
    st.header("Corpus", anchor=False)
    summary = st.container()
    st.divider()

    full = st.checkbox("Full rebuild", help="Re-embed every passage, not only new or changed articles.")
    if st.button("Re-index", icon=":material/refresh:", width="stretch",
                 help="Pick up articles added, changed or removed in the seeds folder."):
        report = run_build(pipe, "Re-indexing", rebuild=full)
        if report is not None:
            st.success(f"Index up to date: {report.documents} articles, {report.passages} passages "
                       f"({report.embedded} embedded, {report.reused} reused).", icon=":material/check:")

    st.subheader("Add articles", anchor=False)
    mb = settings.max_file_bytes / 1_000_000
    files = st.file_uploader(
        "Upload .txt or .md articles", type=["txt", "md"], accept_multiple_files=True, key="uploads",
        max_upload_size=max(1, math.ceil(settings.max_file_bytes / 2**20)),
        help=f"UTF-8 text up to {mb:g} MB. File names may use only letters, digits, '.', '_' and '-'.",
    )
    results: dict[str, tuple[bool, str]] = st.session_state.setdefault("upload_results", {})
    added = False
    for f in files or []:
        if f.file_id in results:
            continue  # already handled on an earlier rerun
        try:
            ok, message = ui.save_upload(settings.seeds_dir, f.name, f.getvalue(), settings.max_file_bytes)
        except Exception:
            log.exception("saving upload %r failed", f.name)
            ok, message = False, GENERIC_ERROR
        results[f.file_id] = (ok, message)
        added = added or ok
    if added:
        run_build(pipe, "Indexing the new articles")
    for f in files or []:
        ok, message = results.get(f.file_id, (False, ""))
        if ok:
            st.success(ui.escape_markdown(message), icon=":material/check:")
        elif message:
            st.error(ui.escape_markdown(message), icon=":material/block:")

    with summary:
        corpus_summary(pipe)


def corpus_summary(pipe: Pipeline) -> None:
    with user_errors("read the index status"):
        status = pipe.status()
        changes = status.get("corpus_changes") or {}
        if changes.get("stale"):
            st.warning(ui.escape_markdown(changes.get("message", "")), icon=":material/update:")
        c1, c2 = st.columns(2)
        c1.metric("Articles", f"{status['documents']:,}")
        c2.metric("Passages", f"{status['passages']:,}")
        rows = [
            ("Indexed", ui.format_created(status.get("created"))),
            ("Embedding model", str(status.get("embedding_model") or "unknown")),
            ("Vector store", str(status.get("backend") or "")),
            ("Answers", f"written by {pipe.settings.generator}, checked" if pipe.generative else "quoted (extractive)"),
            ("Claims", "rules" if pipe.settings.verifier == "rules"
             else f"rules, then a model's reading ({pipe.settings.verifier_backend})"),
        ]
        st.html("".join(f'<div class="muted"><b>{html.escape(k)}:</b> {html.escape(v)}</div>' for k, v in rows))
        docs = documents_meta(pipe)
        with st.expander(f"Articles ({len(docs)})"):
            st.html("<ol class='muted'>" + "".join(
                f"<li title='{html.escape(name, quote=True)}'>{html.escape(ui.doc_title(name, docs))}</li>"
                for name in sorted(docs)) + "</ol>")


# ----------------------------------------------------------------------- chat
def chat_tab(pipe: Pipeline) -> None:
    messages: list[dict[str, Any]] = st.session_state.setdefault("messages", [])
    st.caption("Try one of these, or type your own question below.")
    clicked = None
    with st.container(horizontal=True, gap="small"):
        for q in EXAMPLE_QUESTIONS:
            if st.button(q, key=f"ex_q_{q}", icon=":material/chat_bubble_outline:"):
                clicked = q
    history = st.container()
    # The box takes the raw text: the question's limit (RAG_MAX_QUERY_CHARS) counts characters
    # after runs of whitespace collapse, so a pasted question with its line breaks still fits,
    # and a longer one gets the pipeline's message naming the limit instead of being cut off.
    prompt = st.chat_input("Ask a question about the news corpus…",
                           max_chars=raw_input_limit(pipe.settings.max_query_chars))
    question = prompt or clicked
    if question and is_blank(question):
        # Nothing visible was typed: say so, as the claim tab does, and keep it out of the history.
        st.warning("Type a question first: this one has no visible characters.")
        question = None
    if messages and st.button("Clear conversation", icon=":material/delete_sweep:", type="tertiary"):
        messages.clear()
        st.rerun()

    with history:
        for n, msg in enumerate(messages):
            render_message(pipe, msg, n)
        if question:
            user_msg = {"role": "user", "text": question}
            messages.append(user_msg)
            render_message(pipe, user_msg, len(messages) - 1)
            reply: dict[str, Any] = {"role": "assistant"}
            with st.chat_message("assistant"):
                if pipe.generative:
                    reply.update(ask_streaming(pipe, question))
                else:
                    with st.spinner("Searching the corpus and checking every citation…"):
                        reply.update(ask(pipe, question))
                messages.append(reply)
                render_reply(pipe, reply, len(messages) - 1)


def ask(pipe: Pipeline, question: str) -> dict[str, Any]:
    """Run the pipeline; returns {"answer": Answer} or {"error": message}."""
    try:
        try:
            return {"answer": pipe.ask(question)}
        except IndexMissingError:
            if run_build(pipe, "Building the search index") is None:
                raise
            return {"answer": pipe.ask(question)}
    except RagError as exc:
        return {"error": f"Could not answer: {exc}"}
    except Exception:
        log.exception("answering %r failed", question)
        return {"error": GENERIC_ERROR}


def ask_streaming(pipe: Pipeline, question: str) -> dict[str, Any]:
    """Show the chat model's draft token by token, each sentence's check as it lands,
    then clear the draft: only the checked answer stays. Same return as :func:`ask`."""
    draft = st.empty()
    status = st.empty()
    text, checked, dropped = "", 0, 0
    try:
        try:
            events = pipe.ask_stream(question)
            first = next(events)
        except IndexMissingError:
            if run_build(pipe, "Building the search index") is None:
                raise
            events = pipe.ask_stream(question)
            first = next(events)
        status.caption("Drafting… every sentence is checked against its citations before it counts.")
        for event in itertools.chain([first], events):
            if event.kind == "token":
                text += event.text
                draft.html(f'<div class="draft">{html.escape(text)}▌</div>')
            elif event.kind == "sentence":
                checked += 1
                dropped += not event.supported
                status.caption(f"Checked {checked} sentence(s); {dropped} not supported by their citations.")
            elif event.answer is not None:
                draft.empty()
                status.empty()
                return {"answer": event.answer}
    except RagError as exc:
        draft.empty()
        status.empty()
        return {"error": f"Could not answer: {exc}"}
    except Exception:
        log.exception("answering %r failed", question)
        draft.empty()
        status.empty()
        return {"error": GENERIC_ERROR}
    return {"error": GENERIC_ERROR}


def render_message(pipe: Pipeline, msg: dict[str, Any], n: int) -> None:
    if msg["role"] == "user":
        with st.chat_message("user"):
            st.html(f'<div class="user-text">{html.escape(msg["text"])}</div>')
    else:
        with st.chat_message("assistant"):
            render_reply(pipe, msg, n)


def render_reply(pipe: Pipeline, reply: dict[str, Any], n: int) -> None:
    if "error" in reply:
        st.error(ui.escape_markdown(reply["error"]), icon=":material/error:")
        return
    answer: Answer = reply["answer"]
    badge = ui.answer_badge(answer)
    st.badge(badge.label, icon=badge.icon, color=badge.color)
    for w in answer.warnings:
        st.warning(ui.escape_markdown(w), icon=":material/update:")
    if answer.abstained:
        why = f" ({ui.escape_markdown(answer.reason)})" if answer.reason else ""
        st.info(f"{ui.escape_markdown(answer.answer)} None of the indexed articles answers this{why}.",
                icon=":material/search_off:")
        render_removed(answer)
        return
    if answer.premise_corrected:
        st.warning("The question assumes something the articles contradict. Here is what they say.",
                   icon=":material/warning:")
    prefix = f"m{n}"
    st.html(ui.format_answer_html(answer, prefix))
    render_removed(answer)
    used = sorted({i for s in answer.sentences if s.supported for i in s.citations
                   if 0 <= i < len(answer.citations)})
    if not used:
        return
    st.caption(f"Sources ({len(used)})")
    docs = documents_meta(pipe)
    for i in used:
        render_source(pipe, [answer.citations[i]], docs, number=i + 1,
                      anchor=ui.cite_anchor(prefix, i + 1), article_anchor=f"{prefix}-art-{i + 1}")


def render_removed(answer: Answer) -> None:
    """The generated sentences the citation check withheld, struck through, never as fact."""
    removed = [s.text for s in answer.sentences if not s.supported]
    if removed:
        with st.expander(f"Withheld {len(removed)} generated sentence(s) that their citations do not support"):
            for text in removed:
                st.html(f'<div class="unsupported"><s>{html.escape(text)}</s></div>')


def render_source(pipe: Pipeline, citations: Sequence[Citation], docs: dict[str, dict[str, Any]],
                  number: int | None, anchor: str | None, article_anchor: str, kind: str = "cite",
                  note: str = "", with_article: bool = True) -> None:
    """One source card: the passage with the cited spans highlighted, the whole article on demand."""
    doc = citations[0].doc
    text, start = passage_of(pipe, citations)
    card = ui.source_card_html(number, ui.doc_title(doc, docs), citations, text, start, kind=kind,
                               anchor_id=anchor, relation=None if kind == "cite" else kind, note=note)
    with st.container(border=True):
        st.html(card)
        if with_article:
            with st.expander("Open article", icon=":material/article:"):
                try:
                    article = pipe.document_text(doc)
                except RagError as exc:
                    st.caption(ui.escape_markdown(f"The article is not available: {exc}"))
                else:
                    st.html(ui.article_html(article, [(c.start, c.end) for c in citations], article_anchor, kind))


def passage_of(pipe: Pipeline, citations: Sequence[Citation]) -> tuple[str | None, int | None]:
    """The passage holding all the citations (text, start), or (None, None) to show the quotes alone."""
    pid = citations[0].passage_id
    if not pid:
        return None, None
    try:
        p = pipe.passage(pid)
    except RagError:
        return None, None
    if any(c.doc != p.doc or not p.start <= c.start < c.end <= p.end for c in citations):
        return None, None
    return p.text, p.start


# -------------------------------------------------------------- claim checking
def _use_claim(text: str) -> None:
    st.session_state["claim_text"] = text
    st.session_state["run_check"] = True


def check_tab(pipe: Pipeline) -> None:
    st.caption("Paste a claim or a paragraph. Each sentence is checked against the articles on its own.")
    with st.container(horizontal=True, gap="small"):
        for claim in EXAMPLE_CLAIMS:
            st.button(claim, key=f"ex_c_{claim}", on_click=_use_claim, args=(claim,),
                      icon=":material/fact_check:")
    with st.form("claim_form", border=False):
        st.text_area("Claim or paragraph", key="claim_text", height=110, max_chars=20_000,
                     placeholder="e.g. Sheinbaum posted her comments on Facebook.")
        submitted = st.form_submit_button("Check", type="primary", icon=":material/fact_check:")
    if submitted or st.session_state.pop("run_check", False):
        st.session_state["check_result"] = run_checks(pipe, st.session_state.get("claim_text", ""))
    result = st.session_state.get("check_result")
    if result:
        render_checks(pipe, result)


def run_checks(pipe: Pipeline, text: str) -> dict[str, Any]:
    sentences, truncated = ui.split_claims(text)
    items: list[tuple[str, Verdict | str]] = []
    if not sentences:
        return {"items": [], "empty": True}
    bar = st.progress(0.0, text="Checking…")
    for k, sentence in enumerate(sentences):
        bar.progress(k / len(sentences), text=f"Checking sentence {k + 1} of {len(sentences)}…")
        try:
            items.append((sentence, pipe.check(sentence)))
        except RagError as exc:
            items.append((sentence, f"Could not check this sentence: {exc}"))
        except Exception:
            log.exception("checking %r failed", sentence)
            items.append((sentence, GENERIC_ERROR))
    bar.empty()
    return {"items": items, "truncated": truncated}


def render_checks(pipe: Pipeline, result: dict[str, Any]) -> None:
    if result.get("empty"):
        st.warning("Type a claim to check.", icon=":material/edit:")
        return
    if result.get("truncated"):
        st.info(f"Only the first {ui.MAX_CLAIM_SENTENCES} sentences were checked.")
    docs = documents_meta(pipe)
    for k, (sentence, verdict) in enumerate(result["items"]):
        with st.container(border=True):
            st.html(f'<div class="claim-text">{html.escape(sentence)}</div>')
            if isinstance(verdict, str):
                st.error(ui.escape_markdown(verdict), icon=":material/error:")
                continue
            render_verdict(pipe, verdict, docs, f"c{k}")


def render_verdict(pipe: Pipeline, verdict: Verdict, docs: dict[str, dict[str, Any]], prefix: str) -> None:
    badge = ui.verdict_badge(verdict.label)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.badge(badge.label, icon=badge.icon, color=badge.color)
        st.caption(ui.confidence_text(verdict.confidence))
    st.html(f'<div class="verdict-why">{html.escape(verdict.explanation)}</div>')
    for w in verdict.warnings:
        st.warning(ui.escape_markdown(w), icon=":material/update:")
    decisive, related = ui.sort_evidence(verdict.evidence)
    for j, group in enumerate(decisive):
        note = "" if group.explanation == verdict.explanation else group.explanation
        render_source(pipe, group.citations, docs, number=None, anchor=None, article_anchor=f"{prefix}-art-{j}",
                      kind=group.relation.value, note=note)
    if related:
        label = "Closest passages" if not decisive else "Related passages"
        with st.expander(f"{label} ({len(related)})", icon=":material/manage_search:"):
            for group in related:
                render_source(pipe, group.citations, docs, number=None, anchor=None, article_anchor="unused",
                              kind=group.relation.value, with_article=False)


# ----------------------------------------------------------------------- page
def main() -> None:
    st.set_page_config(page_title="Fact-check the news corpus", page_icon=":material/fact_check:", layout="wide")
    st.set_option("client.toolbarMode", "minimal")  # no "Deploy" button in a product UI
    st.html(ui.CSS)
    st.title(":material/fact_check: Fact-check the news corpus", anchor=False)
    caption = st.empty()
    try:
        pipe = get_pipeline()
    except RagError as exc:
        st.error(f"The app is misconfigured: {ui.escape_markdown(str(exc))}", icon=":material/error:")
        st.stop()
    how = ("is written by a language model and shown only if the article passage it cites supports it"
           if pipe.generative else "is quoted from an article and cited")
    caption.caption(f"Ask questions and check claims against the indexed articles. Every sentence of an answer "
                    f"{how}; when the articles don't say, neither does the app.")
    if not ensure_index(pipe):
        st.stop()
    _warm_up(str(pipe.settings.index_dir), pipe)
    with st.sidebar:
        sidebar(pipe)
    chat, check = st.tabs(["Chat", "Check a claim"])
    with chat:
        chat_tab(pipe)
    with check:
        check_tab(pipe)


logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
main()

"""Pure rendering and validation helpers for the Streamlit app (``app.py``).

Nothing here imports Streamlit, so every function is unit-testable. The rule that
keeps the app safe: **every piece of text that reaches HTML passes through
:func:`html.escape` here**, and every piece of dynamic text that reaches a
Markdown-rendering element (``st.error``, ``st.info``, ``st.badge``) passes through
:func:`escape_markdown`. An article containing ``<script>`` or
``[x](javascript:alert(1))`` is therefore shown as those characters, never run.

The app renders the HTML built here with ``st.html``, which does not interpret
Markdown and sanitises HTML once more (DOMPurify) as a second line of defence.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import secrets
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from rag.chunking import split_sentences
from rag.corpus import SUFFIXES, SkippedFile, load_document
from rag.text import is_blank
from rag.types import Answer, Citation, Evidence, Label, Relation, sha256_text

# ----------------------------------------------------------------------- escaping
_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation character so Markdown shows ``text`` literally.

    CommonMark allows any ASCII punctuation to be escaped, so this also disarms
    links, emphasis, HTML, LaTeX (``$``) and Streamlit directives (``:red[...]``,
    ``:material/x:``). Newlines become spaces (these strings are one-liners).
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


# ------------------------------------------------------------------- highlighting
@dataclass(frozen=True)
class Span:
    """A highlighted character range ``[start, end)`` of a text.

    Args:
        start, end: offsets into the text being highlighted.
        kind: CSS modifier: ``cite`` (a citation), ``supports``, ``refutes`` or ``related``.
        title: tooltip text (escaped on output).
    """

    start: int
    end: int
    kind: str = "cite"
    title: str = ""


_KIND_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_ANCHOR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,100}$")


def _as_span(s: Span | tuple[int, int]) -> Span:
    return s if isinstance(s, Span) else Span(int(s[0]), int(s[1]))


def highlight_html(text: str, spans: Iterable[Span | tuple[int, int]], anchor_id: str | None = None) -> str:
    """``text`` as escaped HTML with each span wrapped in ``<mark>``.

    Offsets outside the text are clamped; empty or inverted spans are ignored.
    Overlapping spans do not nest: the text is cut at every span boundary and each
    piece covered by one or more spans becomes one ``<mark>`` carrying the classes
    of all of them (``hl hl-cite hl-refutes``), so the output is always well formed.

    Args:
        text: the raw text (an article, a passage, a quote).
        spans: ``Span`` objects or ``(start, end)`` pairs.
        anchor_id: put ``id="<anchor_id>"`` on the first ``<mark>`` of the first
            span given (for links and scrolling). Must look like an HTML id.

    Returns:
        A safe HTML string (no tags other than ``<mark>``).

    Raises:
        ValueError: ``anchor_id`` or a span ``kind`` contains unexpected characters.
    """
    if anchor_id is not None and not _ANCHOR_RE.match(anchor_id):
        raise ValueError(f"bad anchor id {anchor_id!r}")
    n = len(text)
    clean: list[Span] = []
    for raw in spans:
        s = _as_span(raw)
        if not _KIND_RE.match(s.kind):
            raise ValueError(f"bad span kind {s.kind!r}")
        start, end = max(0, min(n, s.start)), max(0, min(n, s.end))
        if start < end:
            clean.append(Span(start, end, s.kind, s.title))
    if not clean:
        return html.escape(text)
    cuts = sorted({0, n, *(s.start for s in clean), *(s.end for s in clean)})
    primary = clean[0]
    anchored = anchor_id is None
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        piece = html.escape(text[a:b])
        covering = [s for s in clean if s.start <= a and b <= s.end]
        if not covering:
            out.append(piece)
            continue
        kinds = list(dict.fromkeys(s.kind for s in covering))
        classes = " ".join(["hl", *(f"hl-{k}" for k in kinds)])
        attrs = f' class="{classes}"'
        titles = list(dict.fromkeys(s.title for s in covering if s.title))
        if titles:
            attrs += f' title="{_attr(" / ".join(titles))}"'
        if not anchored and primary in covering:
            attrs += f' id="{anchor_id}"'
            anchored = True
        out.append(f"<mark{attrs}>{piece}</mark>")
    return "".join(out)


# ---------------------------------------------------------------------- badges
#: The colors ``st.badge`` accepts.
BadgeColor = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]


@dataclass(frozen=True)
class Badge:
    """A label for ``st.badge``: text, color and a Material icon."""

    label: str
    color: BadgeColor
    icon: str


VERDICT_BADGES: dict[Label, Badge] = {
    Label.SUPPORTED: Badge("Supported", "green", ":material/check_circle:"),
    Label.REFUTED: Badge("Refuted", "red", ":material/cancel:"),
    Label.NOT_ENOUGH_INFO: Badge("Not in the corpus", "gray", ":material/help:"),
}
RELATION_LABELS: dict[Relation, str] = {
    Relation.SUPPORTS: "supports",
    Relation.REFUTES: "refutes",
    Relation.RELATED: "related",
}
ABSTAINED_BADGE = Badge("Not in the corpus", "gray", ":material/block:")
PREMISE_BADGE = Badge("Premise corrected", "orange", ":material/warning:")
ANSWER_BADGE = Badge("Answer from the corpus", "blue", ":material/verified:")


def verdict_badge(label: Label | str) -> Badge:
    """The badge for a verdict label (``Label`` or its string value)."""
    return VERDICT_BADGES[Label(label)]


def answer_badge(answer: Answer) -> Badge:
    """The badge that says what kind of answer this is."""
    if answer.abstained:
        return ABSTAINED_BADGE
    if answer.premise_corrected:
        return PREMISE_BADGE
    return ANSWER_BADGE


def confidence_text(confidence: float) -> str:
    """``0.8747`` -> ``"87% confidence"`` (clamped to 0-100)."""
    pct = round(100 * max(0.0, min(1.0, float(confidence))))
    return f"{pct}% confidence"


# ---------------------------------------------------------------------- answers
def cite_anchor(prefix: str, number: int) -> str:
    """HTML id of source card ``number`` of the message ``prefix``."""
    return f"{prefix}-src-{number}"


def format_answer_html(answer: Answer, anchor_prefix: str = "a") -> str:
    """The answer body as safe HTML: each supported sentence followed by its markers.

    A marker ``[n]`` links to source card ``n`` (see :func:`cite_anchor`). Sentences
    the self-check marked unsupported are left out: they are not presented as fact.
    An abstention is the fixed message alone.
    """
    if answer.abstained or not answer.sentences:
        return f'<div class="rag-answer rag-abstained">{html.escape(answer.answer)}</div>'
    parts: list[str] = []
    for s in answer.sentences:
        if not s.supported:
            continue
        markers = "".join(
            f'<a class="cite-marker" href="#{cite_anchor(anchor_prefix, i + 1)}">[{i + 1}]</a>'
            for i in sorted(set(s.citations)) if 0 <= i < len(answer.citations)
        )
        parts.append(f"{html.escape(s.text)}{markers}")
    return f'<div class="rag-answer">{" ".join(parts)}</div>'


def format_answer_markdown(answer: Answer) -> str:
    """The answer as plain, escaped Markdown with ``[n]`` markers (for copying / logs)."""
    if answer.abstained or not answer.sentences:
        return escape_markdown(answer.answer)
    parts = []
    for s in answer.sentences:
        if s.supported:
            marks = "".join(f"\\[{i + 1}\\]" for i in sorted(set(s.citations)))
            parts.append(escape_markdown(s.text) + marks)
    return " ".join(parts)


def doc_title(doc: str, documents: Mapping[str, Mapping[str, Any]]) -> str:
    """The article's title from the index manifest, or its file name."""
    meta = documents.get(doc) or {}
    title = str(meta.get("title") or "").strip()
    return title or doc


def location_text(doc: str, ranges: Sequence[tuple[int, int]]) -> str:
    """``"003_x.txt · chars 2,631–2,849"`` (several ranges joined by commas)."""
    spans = ", ".join(f"{a:,}–{b:,}" for a, b in ranges)
    return f"{doc} · chars {spans}"


def source_card_html(number: int | None, title: str, citations: Sequence[Citation], passage_text: str | None,
                     passage_start: int | None, kind: str = "cite", anchor_id: str | None = None,
                     relation: str | None = None, note: str = "") -> str:
    """One source card: number, title, location, and the passage with the cited spans marked.

    Args:
        number: the marker number shown in the answer (None in the claim tab).
        title: article title (or file name).
        citations: the cited spans, all in one document (and one passage when given).
        passage_text, passage_start: the passage the spans sit in; None shows the quotes alone.
        kind: highlight style (``cite`` / ``supports`` / ``refutes`` / ``related``).
        anchor_id: id of the card (target of the answer's ``[n]`` links).
        relation: show a relation pill (``supports`` / ``refutes`` / ``related``).
        note: a one-line explanation shown under the passage.

    Raises:
        ValueError: no citations.
    """
    if not citations:
        raise ValueError("a source card needs at least one citation")
    if passage_text is not None and passage_start is not None:
        body = highlight_html(passage_text, [Span(c.start - passage_start, c.end - passage_start, kind)
                                             for c in citations])
    else:
        body = " … ".join(highlight_html(c.quote, [Span(0, len(c.quote), kind)]) for c in citations)
    num = f'<span class="src-num">{int(number)}</span>' if number is not None else ""
    rel = ""
    if relation:
        if not _KIND_RE.match(relation):
            raise ValueError(f"bad relation {relation!r}")
        rel = f'<span class="rel-pill rel-{relation}">{html.escape(relation)}</span>'
    ident = ""
    if anchor_id:
        if not _ANCHOR_RE.match(anchor_id):
            raise ValueError(f"bad anchor id {anchor_id!r}")
        ident = f' id="{anchor_id}"'
    loc = location_text(citations[0].doc, [(c.start, c.end) for c in citations])
    why = f'<div class="src-note">{html.escape(note)}</div>' if note else ""
    return (
        f'<div class="src-card"{ident}>'
        f'<div class="src-head">{num}<span class="src-title">{html.escape(title)}</span>{rel}</div>'
        f'<div class="src-loc">{html.escape(loc)}</div>'
        f'<div class="src-text">{body}</div>{why}</div>'
    )


def article_html(text: str, spans: Sequence[tuple[int, int]], anchor_id: str, kind: str = "cite") -> str:
    """The whole article, escaped, in a scroll box with the cited spans marked.

    The first span's ``<mark>`` carries ``anchor_id``; an empty inline-block just
    before it is the box's initial scroll target (CSS ``scroll-initial-target``,
    which Chromium honours only on non-inline boxes), so the box opens scrolled to
    the citation without any JavaScript. A "Jump to the cited passage" link is the
    fallback for browsers without that property.
    """
    marked = highlight_html(text, [Span(a, b, kind) for a, b in spans], anchor_id)
    at = marked.find(f'id="{anchor_id}"')
    if at >= 0:
        cut = marked.rfind("<mark", 0, at)
        marked = f'{marked[:cut]}<span class="scroll-target"></span>{marked[cut:]}'
    return (
        f'<div class="article-tools"><a href="#{anchor_id}">Jump to the cited passage ↓</a></div>'
        f'<div class="article-box">{marked}</div>'
    )


@dataclass(frozen=True)
class EvidenceGroup:
    """Evidence spans of one passage with the same relation to a claim, shown as one card."""

    relation: Relation
    citations: tuple[Citation, ...]
    explanation: str

    @property
    def doc(self) -> str:
        return self.citations[0].doc


def group_evidence(evidence: Sequence[Evidence]) -> list[EvidenceGroup]:
    """Merge evidence that sits in the same passage with the same relation (order kept).

    The verifier judges sentence pairs, so one passage often yields two adjacent
    spans with the same verdict; one card with both spans marked reads better.
    Duplicate spans are dropped.
    """
    groups: list[EvidenceGroup] = []
    index: dict[tuple[str, str, Relation], int] = {}
    for e in evidence:
        c = e.citation
        key = (c.doc, c.passage_id or c.id, e.relation)
        if key not in index:
            index[key] = len(groups)
            groups.append(EvidenceGroup(e.relation, (c,), e.explanation))
            continue
        g = groups[index[key]]
        if any((x.start, x.end) == (c.start, c.end) for x in g.citations):
            continue
        cites = tuple(sorted((*g.citations, c), key=lambda x: x.start))
        expl = g.explanation if not e.explanation or e.explanation == g.explanation \
            else f"{g.explanation}; {e.explanation}"
        groups[index[key]] = EvidenceGroup(g.relation, cites, expl)
    return groups


def sort_evidence(evidence: Sequence[Evidence]) -> tuple[list[EvidenceGroup], list[EvidenceGroup]]:
    """A verdict's evidence as cards: (decisive = supports/refutes, related), order kept."""
    groups = group_evidence(evidence)
    decisive = [g for g in groups if g.relation in (Relation.SUPPORTS, Relation.REFUTES)]
    related = [g for g in groups if g.relation not in (Relation.SUPPORTS, Relation.REFUTES)]
    return decisive, related


# ------------------------------------------------------------------ claim input
#: Most sentences one "Check a claim" request will check.
MAX_CLAIM_SENTENCES = 20


def split_claims(text: str, limit: int = MAX_CLAIM_SENTENCES) -> tuple[list[str], bool]:
    """Split a claim or paragraph into sentences to check one by one.

    Returns:
        (sentences, truncated): at most ``limit`` non-blank sentences (a sentence of
        only invisible characters such as zero-width spaces is blank), and whether
        more were dropped.
    """
    sentences = [" ".join(s.text.split()) for s in split_sentences(text or "")]
    sentences = [s for s in sentences if not is_blank(s)]
    return sentences[:limit], len(sentences) > limit


# ---------------------------------------------------------------------- progress
#: Share of the progress bar given to each build stage (the rest is "store").
_STAGE_SHARE = {"embed": (0.0, 0.9), "store": (0.9, 1.0)}
_STAGE_TEXT = {"embed": "Embedding passages", "store": "Writing the index"}


def progress_fraction(stage: str, done: int, total: int) -> tuple[float, str]:
    """Map a ``build_index`` progress callback to (fraction in [0, 1], label)."""
    lo, hi = _STAGE_SHARE.get(stage, (0.0, 1.0))
    frac = 1.0 if total <= 0 else max(0.0, min(1.0, done / total))
    label = _STAGE_TEXT.get(stage, stage.capitalize())
    text = f"{label}… {done:,}/{total:,}" if total > 0 else f"{label}…"
    return lo + (hi - lo) * frac, text


def format_created(created: str | None, now: datetime | None = None) -> str:
    """``"2026-11-23T13:00:38+00:00"`` -> ``"2026-11-23 13:00 UTC (5 min ago)"``."""
    if not created:
        return "unknown"
    try:
        when = datetime.fromisoformat(created)
    except ValueError:
        return created
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    now = now or datetime.now(UTC)
    secs = (now - when).total_seconds()
    if secs < 0:
        ago = ""
    elif secs < 60:
        ago = " (just now)"
    elif secs < 3600:
        ago = f" ({int(secs // 60)} min ago)"
    elif secs < 86400:
        ago = f" ({int(secs // 3600)} h ago)"
    else:
        ago = f" ({int(secs // 86400)} d ago)"
    return when.strftime("%Y-%m-%d %H:%M UTC") + ago


# ------------------------------------------------------------------------ uploads
#: A safe upload name: letters, digits, '.', '_', '-' only (no path parts, no spaces).
SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")
MAX_NAME_CHARS = 200


def normalise_newlines(text: str) -> str:
    """What ``Path.read_text`` returns for ``text`` on disk (universal newlines)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def existing_articles(seeds_dir: Path) -> dict[str, str | None]:
    """Every file under ``seeds_dir``: relative name -> sha256 of its text (None if unreadable)."""
    out: dict[str, str | None] = {}
    if not seeds_dir.is_dir():
        return out
    for path in sorted(seeds_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(seeds_dir).as_posix()
        try:
            out[name] = sha256_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            out[name] = None
    return out


def validate_upload(name: str, data: bytes, existing: Mapping[str, str | None],
                    max_bytes: int = 5_000_000) -> tuple[bool, str]:
    """Decide whether an uploaded file may join the corpus, before anything is written.

    Args:
        name: the file name the browser sent (untrusted).
        data: the file content.
        existing: the corpus as :func:`existing_articles` returns it.
        max_bytes: the size limit (``settings.max_file_bytes``).

    Returns:
        ``(True, "")`` or ``(False, reason)`` where ``reason`` tells the user what to fix.
    """
    if not isinstance(name, str) or not name:
        return False, "The file has no name."
    if "/" in name or "\\" in name or name in (".", ".."):
        return False, f"The file name {name!r} contains a path; upload a plain file name."
    if len(name) > MAX_NAME_CHARS:
        return False, f"The file name is {len(name)} characters long; the limit is {MAX_NAME_CHARS}."
    if not SAFE_NAME_RE.match(name):
        return False, (f"The file name {name!r} may contain only letters, digits, '.', '_' and '-'; "
                       "rename the file and upload it again.")
    if name.startswith("."):
        return False, f"The file name {name!r} starts with a dot (hidden files are not indexed)."
    if Path(name).suffix.lower() not in SUFFIXES:
        return False, f"{name!r} is not a .txt or .md file."
    if len(data) == 0:
        return False, f"{name} is empty."
    if len(data) > max_bytes:
        return False, f"{name} is {len(data):,} bytes; the limit is {max_bytes:,} bytes (RAG_MAX_FILE_BYTES)."
    if b"\x00" in data:
        return False, f"{name} looks binary (it contains NUL bytes); upload plain text."
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return False, f"{name} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8."
    if not text.strip():
        return False, f"{name} contains only whitespace."
    lower = {n.lower(): n for n in existing}
    if name.lower() in lower:
        return False, f"An article named {lower[name.lower()]} already exists; rename the file."
    digest = sha256_text(normalise_newlines(text))
    same = sorted(n for n, h in existing.items() if h == digest)
    if same:
        return False, f"{name} has the same content as {same[0]}, which is already in the corpus."
    return True, ""


def save_upload(seeds_dir: Path, name: str, data: bytes, max_bytes: int) -> tuple[bool, str]:
    """Validate an upload and, only if it passes, add it to ``seeds_dir`` atomically.

    The bytes go to a hidden temporary file in ``seeds_dir`` (ignored by the corpus
    loader), are checked with the same loader the indexer uses, and are then linked
    to their final name, which fails rather than overwrite a file that appeared
    meanwhile. On any failure nothing is left behind.

    Returns:
        ``(ok, message)``: on success the message names the article's title.
    """
    ok, reason = validate_upload(name, data, existing_articles(seeds_dir), max_bytes)
    if not ok:
        return False, reason
    final = seeds_dir / name
    tmp = seeds_dir / f".upload-{secrets.token_hex(8)}.tmp"
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        loaded = load_document(tmp, seeds_dir, max_bytes)
        if isinstance(loaded, SkippedFile):
            return False, f"{name} cannot be indexed: {loaded.reason}."
        if not loaded.body.strip():
            return False, f"{name} has no article text (only site boilerplate)."
        try:
            os.link(tmp, final)
        except FileExistsError:
            return False, f"An article named {name} already exists; rename the file."
        title = loaded.title or name
        return True, f"Added “{title}” ({name}, {len(data):,} bytes)."
    except OSError as exc:
        return False, f"{name} could not be saved: {exc.strerror or exc}."
    finally:
        tmp.unlink(missing_ok=True)


# ------------------------------------------------------------------------ styling
#: The app's stylesheet (injected once with st.html; contains no dynamic text).
CSS = """
<style>
.rag-answer { font-size: 1.04rem; line-height: 1.65; }
.rag-abstained { color: #4b5563; }
a.cite-marker {
  display: inline-block; margin-left: 2px; padding: 0 4px; border-radius: 4px;
  font-size: .72em; font-weight: 600; line-height: 1.5; vertical-align: super;
  background: #e0e7ff; color: #3730a3 !important; text-decoration: none !important;
}
a.cite-marker:hover { background: #c7d2fe; }
.src-card { scroll-margin-top: 4rem; }
.src-head { display: flex; align-items: center; gap: .5rem; font-weight: 600; }
.src-num {
  display: inline-flex; align-items: center; justify-content: center; min-width: 1.4rem; height: 1.4rem;
  border-radius: .7rem; background: #e0e7ff; color: #3730a3; font-size: .8rem; font-weight: 700;
}
.src-title { flex: 1; }
.src-loc { color: #6b7280; font-size: .8rem; margin: .1rem 0 .4rem 0; font-family: ui-monospace, monospace; }
.src-text { line-height: 1.6; white-space: pre-wrap; }
.src-note { color: #6b7280; font-size: .85rem; margin-top: .35rem; }
mark.hl { padding: 0 .1em; border-radius: 3px; color: #111827; }
mark.hl-cite { background: #fef08a; }
mark.hl-supports { background: #bbf7d0; }
mark.hl-refutes { background: #fecaca; }
mark.hl-related { background: #e5e7eb; }
.rel-pill {
  font-size: .72rem; font-weight: 600; padding: .05rem .5rem; border-radius: 999px;
  text-transform: uppercase; letter-spacing: .03em;
}
.rel-supports { background: #dcfce7; color: #166534; }
.rel-refutes { background: #fee2e2; color: #991b1b; }
.rel-related { background: #f3f4f6; color: #4b5563; }
.article-tools { font-size: .8rem; margin-bottom: .3rem; }
.article-box {
  max-height: 420px; overflow-y: auto; white-space: pre-wrap; line-height: 1.65;
  border: 1px solid rgba(128, 128, 128, .25); border-radius: 8px; padding: .8rem 1rem;
  background: rgba(128, 128, 128, .05);
}
.article-box .scroll-target { display: inline-block; width: 0; height: 1em; scroll-initial-target: nearest;
  scroll-margin: 6rem 0; }
.user-text { white-space: pre-wrap; }
.claim-text { font-size: 1.05rem; font-weight: 600; }
.verdict-why { font-size: .95rem; }
.muted { color: #6b7280; font-size: .9rem; }
.draft { color: #6b7280; font-style: italic; white-space: pre-wrap; line-height: 1.6; }
.unsupported { color: #991b1b; font-size: .92rem; margin: .15rem 0; }
</style>
"""

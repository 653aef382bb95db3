"""Split documents into passages: sentence-aware chunks within paragraphs.

Every passage and sentence carries character offsets into ``Document.text`` such
that ``document.text[start:end] == text``. Headings become the ``context`` of the
passages under them, and each section heading is a passage of its own (kind ``heading``);
a table's header row is a passage, and so is each row below it, with the header row in its
context; each list item is a passage whose context holds the list's lead-in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rag.types import Document, Passage, Sentence, make_passage_id

log = logging.getLogger(__name__)

# Abbreviations after which a period does not end a sentence (lower-cased, without the final dot).
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "gov", "sen", "rep", "col", "lt",
    "sgt", "capt", "cmdr", "adm", "pres", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e",
    "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "d.c", "a.m", "p.m", "approx", "dept", "est", "fig", "mt", "ft",
}
# After an abbreviation like "U.S." a sentence still ends when one of these words follows.
_SENTENCE_STARTERS = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "you", "in", "on", "at", "but", "and", "or", "so", "yet", "however", "meanwhile",
    "simultaneously", "moreover", "furthermore", "additionally", "also", "still", "then",
    "there", "here", "when", "while", "after", "before", "since", "as", "if", "for", "with",
    "by", "from", "to", "despite", "although", "though", "because", "what", "why", "how",
}
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
_END_RE = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(?=\s+)")
# Text addressed to a language model rather than to readers ("ignore previous instructions").
# Such sentences are data at best and an attack at worst: they are never indexed or cited.
_INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]{0,40}\b(?:previous|prior|above|earlier|your)\b"
    r"[^.!?]{0,20}\b(?:instructions?|prompts?|rules|context|directions)\b|"
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]{0,30}\b(?:instructions|prompts?)\b|"
    r"\b(?:system prompt|you are (?:an?|the) (?:ai|assistant|language model|chatbot))\b|"
    r"\b(?:as an ai|answer that|respond with|reply with|say that)\b[^.!?]{0,80}\b(?:regardless|always|instead)\b",
    re.I,
)
_LIST_RE = re.compile(r"^\s*(?:[-*+•–]|\d{1,3}[.)])\s+")
_TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split ``text`` into sentences with offsets (``offset`` is added to each).

    Leading and trailing whitespace is excluded from every sentence span.
    """
    sentences: list[Sentence] = []
    pos = 0
    n = len(text)
    for m in _END_RE.finditer(text):
        end = m.end()
        if not _is_boundary(text, m.start(), end) or _inside_quote(text[pos:end]):
            continue
        _append(sentences, text, pos, end, offset)
        pos = end
    if pos < n:
        _append(sentences, text, pos, n, offset)
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    s, e = start + lead, end - trail
    if e > s:
        out.append(Sentence(offset + s, offset + e, text[s:e]))


def _inside_quote(segment: str) -> bool:
    # A period inside a quotation does not end the sentence that carries the quote.
    return segment.count("“") > segment.count("”") or segment.count('"') % 2 == 1


def _is_boundary(text: str, punct_start: int, end: int) -> bool:
    rest = text[end:].lstrip()
    if not rest:
        return True
    nxt = rest[0]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if text[punct_start] != ".":
        return True
    # The word that the period ends.
    before = text[:punct_start]
    word = re.split(r"[\s(\[“\"]", before)[-1].lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        next_word = re.match(r"[\w’']+", rest)
        nw = next_word.group(0).lower() if next_word else ""
        return nw in _SENTENCE_STARTERS or nw.endswith("ly")
    return True


def _lines(doc: Document) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    body = doc.body
    for raw in body.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        else:
            out.append(_Line(pos, pos, ""))
        pos += len(raw)
    return out


def _is_table_row(line: str) -> bool:
    return line.startswith("|") and line.endswith("|") and line.count("|") >= 2


def _is_heading(line: str, next_line: str | None) -> bool:
    if line.startswith("#"):
        return True
    if next_line is None or not next_line:
        return False
    if len(line) > 130 or len(line.split()) < 2:
        return False
    if line[-1] in ".!?:;,\"”’…)":
        return False
    return not _LIST_RE.match(line) and not _is_table_row(line)


def _table_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def chunk_document(doc: Document, max_chars: int = 320) -> list[Passage]:
    """Split one document into passages (see module docstring)."""
    lines = _lines(doc)
    passages: list[Passage] = []
    heading = ""
    title = ""
    lead_in = ""
    table_header = ""
    first_content = True

    def make(start: int, end: int, kind: str, context: str, sents: tuple[Sentence, ...]) -> Passage:
        text = doc.text[start:end]
        return Passage(
            id=make_passage_id(doc.name, doc.sha256, start, end),
            doc=doc.name, start=start, end=end, text=text,
            context=context.strip(), kind=kind, sentences=sents,
        )

    nonblank = [ln for ln in lines if ln.text]
    for idx, ln in enumerate(nonblank):
        nxt = nonblank[idx + 1].text if idx + 1 < len(nonblank) else None
        line = ln.text
        if _is_table_row(line):
            if _TABLE_SEP_RE.match(line):
                continue
            if nxt is not None and _TABLE_SEP_RE.match(nxt):
                # The header row is context for every row below it, and a passage of its
                # own: "what are the table's columns?" is answered by quoting it.
                table_header = " | ".join(_table_cells(line))
                context = "\n".join(x for x in (heading, lead_in, f"Table column headings: {table_header}") if x)
                passages.append(make(ln.start, ln.end, "table_header", context,
                                     (Sentence(ln.start, ln.end, line),)))
                first_content = False
                continue
            cells = _table_cells(line)
            header = table_header.split(" | ") if table_header else []
            context = "\n".join(x for x in (heading, lead_in, table_header) if x)
            described = "; ".join(
                f"{h}: {c}" if h else c for h, c in zip(header + [""] * len(cells), cells, strict=False)
            )
            context = f"{context}\n{described}" if described else context
            passages.append(make(ln.start, ln.end, "table_row", context, (Sentence(ln.start, ln.end, line),)))
            first_content = False
            continue
        table_header = ""
        if first_content and _is_heading(line, nxt) or (first_content and line.startswith("#")):
            # The first line of an article is its headline: indexed, and context for what follows.
            passages.append(make(ln.start, ln.end, "title", "", (Sentence(ln.start, ln.end, line),)))
            heading = title = line.lstrip("#").strip()
            first_content = False
            continue
        first_content = False
        if _is_heading(line, nxt):
            # A section heading is context for what follows, and a passage of its own: "under
            # which heading ...?" is answered by quoting it. Its context is the headline.
            heading = line.lstrip("#").strip()
            lead_in = ""
            passages.append(make(ln.start, ln.end, "heading", title, (Sentence(ln.start, ln.end, line),)))
            continue
        if _LIST_RE.match(line):
            context = "\n".join(x for x in (heading, lead_in) if x)
            sents = tuple(split_sentences(line, ln.start))
            if any(_INSTRUCTION_RE.search(s.text) for s in sents):
                log.warning("%s: not indexing instruction-like text at offset %d", doc.name, ln.start)
                continue
            passages.append(make(ln.start, ln.end, "list_item", context, sents))
            continue
        sents = split_sentences(line, ln.start)
        for run in _runs_without_instructions(sents, doc.name):
            for group in _group(run, max_chars):
                passages.append(make(group[0].start, group[-1].end, "text", heading, tuple(group)))
        lead_in = sents[-1].text if sents and sents[-1].text.endswith(":") else ""
    return passages


def _runs_without_instructions(sents: list[Sentence], doc: str) -> Iterator[list[Sentence]]:
    """Consecutive sentences, split around (and without) instruction-like ones."""
    run: list[Sentence] = []
    for s in sents:
        if _INSTRUCTION_RE.search(s.text):
            log.warning("%s: not indexing instruction-like text at offset %d: %.60s", doc, s.start, s.text)
            if run:
                yield run
            run = []
            continue
        run.append(s)
    if run:
        yield run


def _group(sents: list[Sentence], max_chars: int) -> Iterator[list[Sentence]]:
    group: list[Sentence] = []
    for s in sents:
        if group and s.end - group[0].start > max_chars:
            yield group
            group = []
        group.append(s)
    if group:
        yield group


def chunk_corpus(documents: list[Document], max_chars: int = 320) -> list[Passage]:
    """Chunk every document, in document order."""
    out: list[Passage] = []
    for doc in documents:
        out.extend(chunk_document(doc, max_chars))
    return out

"""Tests for rag.chunking: offsets round-trip, stable ids, structure, sentence splitting."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_corpus, chunk_document, split_sentences
from rag.corpus import find_body_end, load_corpus
from rag.types import PASSAGE_ID_RE, Document, Passage, sha256_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_DOCS = load_corpus(SEEDS).documents
BY_NAME = {d.name: d for d in SEED_DOCS}


def make_doc(text: str, name: str = "synthetic.txt") -> Document:
    return Document(name=name, text=text, sha256=sha256_text(text), body_end=find_body_end(text))


def assert_invariants(doc: Document, passages: list[Passage], max_chars: int | None = None) -> None:
    """Everything the rest of the package relies on."""
    ids = [p.id for p in passages]
    assert len(set(ids)) == len(ids)
    prev_end = 0
    for p in passages:
        assert PASSAGE_ID_RE.match(p.id)
        assert p.doc == doc.name
        assert doc.text[p.start : p.end] == p.text
        assert p.text and p.text == p.text.strip()
        assert prev_end <= p.start < p.end <= doc.body_end
        prev_end = p.end
        assert p.sentences
        for s in p.sentences:
            assert doc.text[s.start : s.end] == s.text
            assert p.start <= s.start < s.end <= p.end
        assert p.sentences[0].start == p.start
        assert p.sentences[-1].end == p.end
        if max_chars is not None and p.kind == "text" and len(p.sentences) > 1:
            assert p.end - p.start <= max_chars


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("max_chars", [80, 200, 320, 1000, 5000])
@pytest.mark.parametrize("doc", SEED_DOCS, ids=[d.name for d in SEED_DOCS])
def test_every_seed_passage_and_sentence_round_trips(doc: Document, max_chars: int) -> None:
    passages = chunk_document(doc, max_chars)
    assert len(passages) >= 5
    assert_invariants(doc, passages, max_chars)


@pytest.mark.parametrize("doc", SEED_DOCS, ids=[d.name for d in SEED_DOCS])
def test_nothing_in_a_seed_body_is_lost(doc: Document) -> None:
    """Every non-blank body line is quoted by a passage, or is a heading / table header used as context."""
    passages = chunk_document(doc)
    covered = [False] * len(doc.text)
    for p in passages:
        for i in range(p.start, p.end):
            covered[i] = True
    contexts = "\n".join(p.context for p in passages)
    pos = 0
    for line in doc.body.splitlines(keepends=True):
        stripped = line.strip()
        start = pos + len(line) - len(line.lstrip())
        pos += len(line)
        if not stripped:
            continue
        if all(covered[i] or doc.text[i].isspace() for i in range(start, start + len(stripped))):
            continue
        is_table_furniture = stripped.startswith("|")
        assert is_table_furniture or stripped in contexts, f"lost line in {doc.name}: {stripped!r}"


SYNTHETIC = [
    "One sentence only.",
    "No final punctuation at all",
    "# Markdown Title\n\nFirst paragraph here. Second sentence.\n\n## Section\n\nBody of the section.",
    "Intro line: the list follows:\n1. first item\n2) second item\n* third item\n\nAfter the list.",
    "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nText after the table.",
    "   Indented paragraph.   \n\n\n   Another one.  ",
    "Unicode “quotes.” And emoji 🙂 here. Ünïcödé text… Ends here.",
    "A heading\nText under it. More text.\nAnother heading\nMore under it.",
    "Line with\u2028a line separator. And a form\x0cfeed. Then\x85next line.",
]


@pytest.mark.parametrize("text", SYNTHETIC)
def test_synthetic_documents_round_trip(text: str) -> None:
    doc = make_doc(text)
    passages = chunk_document(doc, 80)
    assert_invariants(doc, passages, 80)
    assert passages, "a non-empty document yields at least one passage"


def test_empty_body_yields_no_passages() -> None:
    assert chunk_document(make_doc("")) == []
    assert chunk_document(make_doc("\n\n   \n")) == []


# ----------------------------------------------------------- property tests
# Words that are not abbreviations, so a period after them always ends a sentence.
_WORDS = st.sampled_from(
    "migration border leaders policy talks agreed region security deportation caravans mexico bukele "
    "trump sheinbaum economy aid tariffs asylum cooperation government statement ministry minister "
    "president week later human rights gangs crime".split()
)
_TERMINALS = st.sampled_from([".", "!", "?", "...", "…", "?!"])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=14))
    words[0] = words[0].capitalize()
    body = " ".join(words) + draw(_TERMINALS)
    quote = draw(st.sampled_from(["", "“”", '""']))
    return f"{quote[0]}{body}{quote[1]}" if quote else body


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    paragraphs = draw(st.lists(st.lists(sentences(), min_size=1, max_size=6), min_size=1, max_size=6))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n \n"]), min_size=len(paragraphs),
                         max_size=len(paragraphs)))
    spaces = draw(st.sampled_from([" ", "  ", "\t"]))
    text = "".join(spaces.join(p) + sep for p, sep in zip(paragraphs, seps, strict=True))
    return text, [s for p in paragraphs for s in p]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(min_value=80, max_value=600))
def test_property_paragraphs_of_sentences_round_trip(sample: tuple[str, list[str]], max_chars: int) -> None:
    text, expected_sentences = sample
    doc = make_doc(text)
    passages = chunk_document(doc, max_chars)
    assert_invariants(doc, passages, max_chars)
    # The splitter recovers exactly the sentences that were written, in order, nothing lost.
    assert [s.text for p in passages for s in p.sentences] == expected_sentences


_ANY_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 .,;:!?…-*+#|()“”\"'’\n\t\u00a0\u2028é🙂")), max_size=400
)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT, st.integers(min_value=80, max_value=400))
def test_property_any_text_round_trips(text: str, max_chars: int) -> None:
    doc = make_doc(text)
    assert_invariants(doc, chunk_document(doc, max_chars), max_chars)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT, st.integers(min_value=0, max_value=50))
def test_property_split_sentences_offsets(text: str, offset: int) -> None:
    padded = "#" * offset + text
    prev = offset
    for s in split_sentences(text, offset):
        assert padded[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert prev <= s.start
        prev = s.end


# ------------------------------------------------------------------- stable ids
def test_ids_are_stable_across_runs_and_independent_of_other_documents() -> None:
    first = chunk_corpus(SEED_DOCS)
    second = chunk_corpus(load_corpus(SEEDS).documents)
    assert [p.id for p in first] == [p.id for p in second]
    alone = chunk_document(BY_NAME["003_625a3d29147f48c6.txt"])
    assert [p.id for p in alone] == [p.id for p in first if p.doc == "003_625a3d29147f48c6.txt"]


def test_ids_change_when_the_document_changes() -> None:
    doc = BY_NAME["003_625a3d29147f48c6.txt"]
    edited = make_doc(doc.text + "\nA new closing sentence.", doc.name)
    old = {p.id for p in chunk_document(doc)}
    new = {p.id for p in chunk_document(edited)}
    assert not old & new


# -------------------------------------------------------------------- structure
def _passages(name: str) -> list[Passage]:
    return chunk_document(BY_NAME[name])


def test_heading_is_context_and_a_passage_of_its_own() -> None:
    passages = _passages("000_1288dd2c134e0c9c.txt")
    heading = "Dialogue with Mexico's President"
    # Its own passage (kind "heading", under the headline), and in no other passage's text.
    (own,) = [p for p in passages if heading in p.text]
    assert own.kind == "heading" and own.text == heading
    assert [p.text for p in passages if p.kind == "heading"] == [
        "Dialogue with Mexico's President", "Communication with El Salvador's Leader",
        "Support from Argentina's President", "Trump's Migration Stance"]
    (sheinbaum,) = [p for p in passages if p.text.startswith("Claudia Sheinbaum, President of Mexico")]
    assert sheinbaum.context == heading
    assert sheinbaum.kind == "text"
    assert sheinbaum.search_text().startswith(heading + "\n")
    # The next heading takes over.
    (milei,) = [p for p in passages if p.text.startswith("Javier Milei")]
    assert milei.context == "Support from Argentina's President"
    # The opening paragraph sits under no heading.
    assert passages[0].context == ""


def test_first_line_headline_becomes_title_passage() -> None:
    passages = _passages("004_34f4f6a5d1ef3bf9.txt")
    assert passages[0].kind == "title"
    assert passages[0].text.startswith("Deportation Diplomacy:")
    assert passages[1].context == passages[0].text


def test_table_rows_are_passages_with_header_context() -> None:
    passages = _passages("002_2aeaa621a2b75187.txt")
    rows = [p for p in passages if p.kind == "table_row"]
    assert [r.text for r in rows] == [
        "| Increased U.S. Economic Aid | Stricter border controls enforced by El Salvador |",
        "| Investment in Domestic Programs | Cooperation in deportation and return agreements |",
        "| Political Validation on the World Stage | Increased scrutiny of human rights practices |",
    ]
    for r in rows:
        assert "Potential Gains for Bukele" in r.context
        assert "Consequences for Immigration Policy" in r.context
        assert len(r.sentences) == 1
    assert "Potential Gains for Bukele: Increased U.S. Economic Aid" in rows[0].context
    # The header row is a passage of its own (kind table_header); the |---| separator is not.
    headers = [p for p in passages if p.kind == "table_header"]
    assert [h.text for h in headers] == ["| Potential Gains for Bukele | Consequences for Immigration Policy |"]
    assert headers[0].sentences[0].text == headers[0].text
    assert not any("---" in p.text for p in passages)
    assert not any("Potential Gains" in p.text for p in passages if p.kind != "table_header")


def test_list_items_are_passages_with_lead_in_context() -> None:
    passages = _passages("002_2aeaa621a2b75187.txt")
    items = [p for p in passages if p.kind == "list_item"]
    assert len(items) == 9
    security = next(p for p in items if p.text.startswith("- Security Cooperation"))
    assert ("During their discussions, both leaders are likely to address key aspects that affect "
            "immigration flows:") in security.context
    assert "Trump’s Diplomatic Strategy" in security.context
    funding = next(p for p in items if "law enforcement funding" in p.text)
    assert funding.context.endswith("Some key initiatives may include:")
    assert "Bukele’s Leverage in the Partnership" in funding.context
    # The lead-in itself stays an ordinary text passage.
    assert any(p.kind == "text" and p.text.endswith("Some key initiatives may include:") for p in passages)


def test_new_heading_resets_list_lead_in() -> None:
    text = "Title of the piece\nThey agreed to:\n- one thing\nNext Section Here\n- orphan item"
    passages = chunk_document(make_doc(text))
    orphan = next(p for p in passages if p.text == "- orphan item")
    assert orphan.context == "Next Section Here"


@pytest.mark.parametrize("max_chars", [80, 150, 320])
def test_max_chars_respected_except_single_long_sentences(max_chars: int) -> None:
    long_sentence = "This sentence is deliberately far longer than the limit " + "and keeps going " * 20 + "."
    text = "Short one. Short two. Short three. " * 10 + long_sentence + " Tail sentence here."
    doc = make_doc(text)
    passages = chunk_document(doc, max_chars)
    assert_invariants(doc, passages, max_chars)
    oversize = [p for p in passages if p.end - p.start > max_chars]
    assert oversize and all(len(p.sentences) == 1 for p in oversize)
    assert any(p.text == long_sentence for p in passages)
    # Short sentences are grouped, not emitted one by one.
    assert any(len(p.sentences) > 1 for p in passages)


# ------------------------------------------------------------ sentence splitter
SPLITS = [
    ("He moved to the U.S. in 2019 and stayed.", ["He moved to the U.S. in 2019 and stayed."]),
    ("They seek a better life in the U.S. Simultaneously, the U.S. has struggled.",
     ["They seek a better life in the U.S.", "Simultaneously, the U.S. has struggled."]),
    ('She said "it was very cordial. We agreed." Then she left.',
     ['She said "it was very cordial. We agreed."', "Then she left."]),
    ("“We have no choice. None,” he said. Then he left.",
     ["“We have no choice. None,” he said.", "Then he left."]),
    ("“In our talk, I explained it,” she wrote in Spanish. “Thanks to this, migrants are helped.”",
     ["“In our talk, I explained it,” she wrote in Spanish.", "“Thanks to this, migrants are helped.”"]),
    ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
    ("Mrs. Lee and Prof. Ortiz spoke at 5 p.m. The meeting was short.",
     ["Mrs. Lee and Prof. Ortiz spoke at 5 p.m.", "The meeting was short."]),
    ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
    ("He paused… Then he spoke.", ["He paused…", "Then he spoke."]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    ("Growth was 3.5 percent. Prices rose.", ["Growth was 3.5 percent.", "Prices rose."]),
    ("Talks with the U.N. Security Council resumed.", ["Talks with the U.N. Security Council resumed."]),
    ("J. R. Smith wrote it. He left.", ["J. R. Smith wrote it.", "He left."]),
    ("The price fell (sharply.) Then it rose.", ["The price fell (sharply.)", "Then it rose."]),
    ("it ended. lowercase continues here.", ["it ended. lowercase continues here."]),
    ("  Padded sentence.   Second one.  ", ["Padded sentence.", "Second one."]),
    ("No terminal punctuation", ["No terminal punctuation"]),
    ("", []),
    ("   ", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[s[0][:30] or "empty" for s in SPLITS])
def test_split_sentences(text: str, expected: list[str]) -> None:
    got = split_sentences(text)
    assert [s.text for s in got] == expected
    for s in got:
        assert text[s.start : s.end] == s.text


def test_split_sentences_adds_offset() -> None:
    got = split_sentences("One here. Two here.", offset=100)
    assert [(s.start, s.end) for s in got] == [(100, 109), (110, 119)]


def test_us_mid_sentence_in_seed_001_is_split_correctly() -> None:
    doc = BY_NAME["001_4a85e0fc2ba689d2.txt"]
    sents = [s.text for p in chunk_document(doc) for s in p.sentences]
    assert any(s.endswith("to seek better opportunities in the U.S.") for s in sents)
    assert any(s.startswith("Simultaneously, the U.S. has struggled with illegal immigration") for s in sents)
    assert any(s.startswith("In an unexpected twist in international relations, former U.S. President Donald Trump")
               for s in sents)

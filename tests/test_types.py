"""Tests for rag.types: content-derived passage ids and the id pattern."""

from __future__ import annotations

import hashlib

import pytest

from rag.types import (
    PASSAGE_ID_RE,
    Answer,
    AnswerSentence,
    Citation,
    Document,
    Passage,
    make_passage_id,
    sha256_text,
)

SHA = sha256_text("Some article text.")


def test_make_passage_id_is_stable_and_well_formed() -> None:
    a = make_passage_id("000.txt", SHA, 10, 42)
    b = make_passage_id("000.txt", SHA, 10, 42)
    assert a == b
    assert PASSAGE_ID_RE.match(a)
    # Pinned value: a change of the id scheme invalidates every stored citation.
    assert a == "p_" + hashlib.sha256(f"000.txt\0{SHA}\0{10}\0{42}".encode()).hexdigest()[:20]


@pytest.mark.parametrize(
    "args",
    [
        ("001.txt", SHA, 10, 42),  # other document name
        ("000.txt", sha256_text("Other text."), 10, 42),  # same name, other content
        ("000.txt", SHA, 11, 42),
        ("000.txt", SHA, 10, 43),
    ],
)
def test_make_passage_id_depends_on_name_content_and_offsets(args: tuple) -> None:
    assert make_passage_id(*args) != make_passage_id("000.txt", SHA, 10, 42)


def test_make_passage_id_separates_fields() -> None:
    # Without a separator "a"+"b1" and "ab"+"1" would collide.
    assert make_passage_id("a", "b1", 2, 3) != make_passage_id("ab", "1", 2, 3)
    assert make_passage_id("x", SHA, 1, 23) != make_passage_id("x", SHA, 12, 3)


@pytest.mark.parametrize(
    "bad",
    [
        "../x",
        "p_XYZ",
        "../etc/passwd",
        "p_" + "A" * 20,  # upper-case hex
        "p_" + "0" * 19,
        "p_" + "0" * 21,
        " p_" + "0" * 20,
        "q_" + "0" * 20,
        "p_" + "0" * 10 + "/" + "0" * 9,
        "",
    ],
)
def test_passage_id_re_rejects_malformed_ids(bad: str) -> None:
    assert not PASSAGE_ID_RE.match(bad)


def test_passage_id_re_rejects_trailing_newline() -> None:
    assert not PASSAGE_ID_RE.match("p_" + "0" * 20 + "\n")


def test_sha256_text_is_utf8_sha256() -> None:
    assert sha256_text("é") == hashlib.sha256("é".encode()).hexdigest()


def test_document_body_excludes_boilerplate() -> None:
    d = Document(name="a.txt", text="Body text.\nSee more\nTeaser", sha256="x", body_end=10)
    assert d.body == "Body text."


def test_passage_search_text_prepends_context() -> None:
    p = Passage(id="p_" + "0" * 20, doc="a.txt", start=0, end=4, text="Text", context="Heading")
    assert p.search_text() == "Heading\nText"
    assert Passage(id=p.id, doc="a.txt", start=0, end=4, text="Text").search_text() == "Text"


def test_answer_to_dict_is_the_json_contract() -> None:
    c = Citation(id="p_x#0-4", doc="a.txt", start=0, end=4, quote="Text", passage_id="p_x")
    a = Answer(question="q", answer="Text", abstained=False, sentences=(AnswerSentence("Text", (0,)),),
               citations=(c,))
    d = a.to_dict()
    assert {"question", "answer", "abstained", "sentences", "citations"} <= set(d)
    assert d["sentences"] == [{"text": "Text", "citations": [0], "supported": True}]
    assert d["citations"][0] == {"id": "p_x#0-4", "doc": "a.txt", "start": 0, "end": 4,
                                 "quote": "Text", "passage_id": "p_x"}

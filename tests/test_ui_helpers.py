"""Unit tests for rag.ui_helpers: escaping, highlighting, badges, upload validation."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rag import ui_helpers as ui
from rag.types import (
    Answer,
    AnswerSentence,
    Citation,
    Evidence,
    Label,
    Relation,
    sha256_text,
)

XSS = '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> "q" & \'a\''


def _tags(fragment: str) -> set[str]:
    return {m.lower() for m in re.findall(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", fragment)}


def _unmark(fragment: str) -> str:
    """The visible text of highlight_html output (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _cite(doc: str = "a.txt", start: int = 0, end: int = 5, quote: str = "Hello", pid: str = "p_" + "0" * 20,
          ) -> Citation:
    return Citation(id=f"{pid}#{start}-{end}", doc=doc, start=start, end=end, quote=quote, passage_id=pid)


# ------------------------------------------------------------------ highlight_html
class TestHighlightHtml:
    def test_escapes_script_and_markdown_link(self) -> None:
        out = ui.highlight_html(XSS, [(0, 8)])
        assert "<script" not in out and "<img" not in out
        assert "&lt;script&gt;" in out and "&lt;img" in out
        assert _tags(out) == {"mark"}
        assert _unmark(out) == XSS

    def test_no_spans_is_plain_escape(self) -> None:
        assert ui.highlight_html(XSS, []) == html.escape(XSS)

    def test_single_span(self) -> None:
        assert ui.highlight_html("abcdef", [(2, 4)]) == 'ab<mark class="hl hl-cite">cd</mark>ef'

    @pytest.mark.parametrize(
        ("span", "expected"),
        [
            ((0, 6), '<mark class="hl hl-cite">abcdef</mark>'),  # whole text
            ((0, 1), '<mark class="hl hl-cite">a</mark>bcdef'),  # first char
            ((5, 6), 'abcde<mark class="hl hl-cite">f</mark>'),  # last char
            ((-5, 2), '<mark class="hl hl-cite">ab</mark>cdef'),  # clamped start
            ((4, 99), 'abcd<mark class="hl hl-cite">ef</mark>'),  # clamped end
            ((3, 3), "abcdef"),  # empty
            ((4, 2), "abcdef"),  # inverted
            ((10, 20), "abcdef"),  # entirely outside
        ],
    )
    def test_edges(self, span: tuple[int, int], expected: str) -> None:
        assert ui.highlight_html("abcdef", [span]) == expected

    def test_overlapping_spans_do_not_nest(self) -> None:
        out = ui.highlight_html("abcdefgh", [ui.Span(1, 5, "supports"), ui.Span(3, 7, "refutes")])
        assert out == ('a<mark class="hl hl-supports">bc</mark>'
                       '<mark class="hl hl-supports hl-refutes">de</mark>'
                       '<mark class="hl hl-refutes">fg</mark>h')
        assert "<mark" not in re.sub(r"<mark[^>]*>[^<]*</mark>", "", out)  # well formed, no nesting
        assert _unmark(out) == "abcdefgh"

    def test_nested_and_identical_spans(self) -> None:
        out = ui.highlight_html("abcdef", [(0, 6), (2, 3), (2, 3)])
        assert _unmark(out) == "abcdef"
        assert out.count("<mark") == 3  # ab | c | def

    def test_anchor_on_first_mark_of_first_span(self) -> None:
        out = ui.highlight_html("abcdefgh", [(4, 6), (0, 2)], anchor_id="art-1")
        assert out.count('id="art-1"') == 1
        assert re.search(r'<mark[^>]*id="art-1"[^>]*>ef</mark>', out)

    def test_entity_boundaries_survive_offsets(self) -> None:
        # Offsets count characters of the raw text, not of the escaped HTML.
        text = "a<b>&c"
        out = ui.highlight_html(text, [(1, 4)])
        assert out == 'a<mark class="hl hl-cite">&lt;b&gt;</mark>&amp;c'

    def test_title_is_escaped(self) -> None:
        out = ui.highlight_html("abc", [ui.Span(0, 3, "cite", '"><script>x</script>')])
        assert "<script" not in out and "&quot;&gt;&lt;script&gt;" in out

    @pytest.mark.parametrize("bad", ['x" onmouseover="alert(1)', "1abc", "a b", ""])
    def test_bad_anchor_rejected(self, bad: str) -> None:
        with pytest.raises(ValueError):
            ui.highlight_html("abc", [(0, 1)], anchor_id=bad)

    def test_bad_kind_rejected(self) -> None:
        with pytest.raises(ValueError):
            ui.highlight_html("abc", [ui.Span(0, 1, 'x" onclick="y')])


# ------------------------------------------------------------------- markdown
class TestEscapeMarkdown:
    @pytest.mark.parametrize("text", [
        "[x](javascript:alert(1))", "**bold** _it_ `code`", "<script>alert(1)</script>",
        ":red[alert] :material/home:", "$x^2$", "# heading", "a\\b",
    ])
    def test_every_punctuation_is_escaped(self, text: str) -> None:
        out = ui.escape_markdown(text)
        assert re.search(r"(?<!\\)[\[\]()*_`<>:$#]", out.replace("\\\\", "")) is None
        assert re.sub(r"\\(.)", r"\1", out) == text  # unescaping gives the text back

    def test_newlines_collapse(self) -> None:
        assert ui.escape_markdown("a\n\nb") == "a b"


# -------------------------------------------------------------------- answers
class TestAnswerFormatting:
    def _answer(self) -> Answer:
        c1 = _cite(quote="<b>One</b> fact.")
        c2 = _cite(start=10, end=20, quote="Two [x](javascript:alert(1)).")
        return Answer(
            question="q", answer="...", abstained=False,
            sentences=(AnswerSentence("<b>One</b> fact.", (0,)),
                       AnswerSentence("Unchecked claim.", (1,), supported=False),
                       AnswerSentence("Two [x](javascript:alert(1)).", (1, 0))),
            citations=(c1, c2),
        )

    def test_html_markers_and_escaping(self) -> None:
        out = ui.format_answer_html(self._answer(), "m3")
        assert "<b>" not in out and "&lt;b&gt;One&lt;/b&gt; fact." in out
        assert "Unchecked claim" not in out  # unsupported sentences are not presented as fact
        assert out.count('class="cite-marker"') == 3
        assert 'href="#m3-src-1">[1]</a>' in out and 'href="#m3-src-2">[2]</a>' in out
        assert _tags(out) <= {"div", "a"}
        assert "javascript:alert(1)" in html.unescape(out) and 'href="javascript' not in out

    def test_markdown_version(self) -> None:
        out = ui.format_answer_markdown(self._answer())
        assert "Unchecked" not in out
        assert out.endswith("\\[2\\]\\[1\\]") is False  # markers are sorted
        assert "\\[1\\]\\[2\\]" in out and "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in out

    def test_abstention(self) -> None:
        a = Answer(question="q", answer="The corpus does not say.", abstained=True, reason="r")
        out = ui.format_answer_html(a)
        assert "rag-abstained" in out and "The corpus does not say." in out
        assert ui.answer_badge(a).label == "Not in the corpus" and ui.answer_badge(a).color == "gray"

    def test_badges(self) -> None:
        premise = Answer("q", "x", False, (AnswerSentence("x", (0,)),), (_cite(),), premise_corrected=True)
        assert ui.answer_badge(premise).label == "Premise corrected"
        assert ui.answer_badge(self._answer()).label == "Answer from the corpus"
        assert ui.verdict_badge(Label.SUPPORTED) == ui.Badge("Supported", "green", ":material/check_circle:")
        assert ui.verdict_badge("REFUTED").color == "red"
        assert ui.verdict_badge(Label.NOT_ENOUGH_INFO).label == "Not in the corpus"
        assert ui.verdict_badge(Label.NOT_ENOUGH_INFO).color == "gray"

    @pytest.mark.parametrize(("value", "text"), [(0.8747, "87% confidence"), (1.7, "100% confidence"),
                                                 (-1, "0% confidence"), (0.005, "0% confidence")])
    def test_confidence(self, value: float, text: str) -> None:
        assert ui.confidence_text(value) == text


class TestCards:
    def test_source_card_marks_span_inside_passage(self) -> None:
        passage = "First <i>sentence</i>. The cited one."
        offset = passage.index("The cited one.")
        cite = _cite(doc="d<x>.txt", start=100 + offset, end=100 + len(passage), quote="The cited one.")
        out = ui.source_card_html(2, "Title <script>", [cite], passage, 100, anchor_id="m0-src-2")
        assert '<mark class="hl hl-cite">The cited one.</mark>' in out
        assert "&lt;i&gt;sentence&lt;/i&gt;" in out and "Title &lt;script&gt;" in out
        assert "d&lt;x&gt;.txt · chars 123–137" in out
        assert 'id="m0-src-2"' in out and '<span class="src-num">2</span>' in out

    def test_source_card_without_passage_shows_quotes(self) -> None:
        out = ui.source_card_html(None, "T", [_cite(quote="<q>")], None, None, kind="refutes",
                                  relation="refutes", note="why <not>")
        assert '<mark class="hl hl-refutes">&lt;q&gt;</mark>' in out
        assert "rel-refutes" in out and "why &lt;not&gt;" in out

    def test_source_card_rejects_bad_relation_and_empty(self) -> None:
        with pytest.raises(ValueError):
            ui.source_card_html(None, "T", [_cite()], None, None, relation='x" onclick="y')
        with pytest.raises(ValueError):
            ui.source_card_html(None, "T", [], None, None)

    def test_article_html(self) -> None:
        text = "<h1>Head</h1>\nBody [x](javascript:alert(1)) here."
        start = text.index("Body")
        out = ui.article_html(text, [(start, start + 4)], "m1-art-1")
        assert "<h1>" not in out and "&lt;h1&gt;" in out
        assert '<span class="scroll-target"></span><mark class="hl hl-cite" id="m1-art-1">Body</mark>' in out
        assert 'href="#m1-art-1"' in out
        assert _tags(out) == {"div", "a", "span", "mark"}

    def test_doc_title(self) -> None:
        docs = {"a.txt": {"title": "A title"}, "b.txt": {"title": ""}}
        assert ui.doc_title("a.txt", docs) == "A title"
        assert ui.doc_title("b.txt", docs) == "b.txt"
        assert ui.doc_title("c.txt", docs) == "c.txt"


class TestEvidence:
    def test_groups_same_passage_and_relation(self) -> None:
        a = _cite(start=0, end=5)
        b = _cite(start=6, end=9, quote="b")
        other = _cite(doc="b.txt", pid="p_" + "1" * 20)
        ev = [Evidence(b, Relation.REFUTES, 0.9, "why"), Evidence(a, Relation.REFUTES, 0.9, "why"),
              Evidence(a, Relation.REFUTES, 0.9, "why"), Evidence(other, Relation.RELATED, 0.4, "topic"),
              Evidence(a, Relation.RELATED, 0.3, "topic")]
        decisive, related = ui.sort_evidence(ev)
        assert [g.citations for g in decisive] == [(a, b)]  # merged, duplicates dropped, sorted
        assert decisive[0].explanation == "why"
        assert [g.doc for g in related] == ["b.txt", "a.txt"]


# ---------------------------------------------------------------------- claims
def test_split_claims() -> None:
    text = "Sheinbaum posted on Facebook. Bukele met Trump!  \n\n Was it in 2024?"
    assert ui.split_claims(text) == (["Sheinbaum posted on Facebook.", "Bukele met Trump!", "Was it in 2024?"], False)
    assert ui.split_claims("   ") == ([], False)
    assert ui.split_claims("\u200b\u00a0\ufeff\n\u2060") == ([], False)
    assert ui.split_claims("\u200bBukele met Trump.\ufeff") == (["\u200bBukele met Trump.\ufeff"], False)
    many = " ".join(f"Claim number {i} is here." for i in range(30))
    sents, truncated = ui.split_claims(many, limit=5)
    assert len(sents) == 5 and truncated


# -------------------------------------------------------------------- progress
@pytest.mark.parametrize(("stage", "done", "total", "frac"), [
    ("embed", 0, 100, 0.0), ("embed", 50, 100, 0.45), ("embed", 100, 100, 0.9),
    ("store", 0, 10, 0.9), ("store", 10, 10, 1.0), ("embed", 0, 0, 0.9), ("other", 5, 10, 0.5),
    ("embed", 500, 100, 0.9),
])
def test_progress_fraction(stage: str, done: int, total: int, frac: float) -> None:
    got, text = ui.progress_fraction(stage, done, total)
    assert got == pytest.approx(frac) and 0.0 <= got <= 1.0 and text


def test_format_created() -> None:
    now = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    assert ui.format_created("2026-01-02T11:55:00+00:00", now) == "2026-01-02 11:55 UTC (5 min ago)"
    assert ui.format_created("2026-01-02T11:59:59+00:00", now).endswith("(just now)")
    assert ui.format_created("2025-12-30T12:00:00+00:00", now).endswith("(3 d ago)")
    assert ui.format_created(None) == "unknown"
    assert ui.format_created("not a date") == "not a date"


# ---------------------------------------------------------------------- uploads
GOOD = b"A headline\nThe council met on Tuesday and approved the budget.\n"
EXISTING = {"000_a.txt": sha256_text("Existing article text.\n"), "notes/b.md": None}


@pytest.mark.parametrize(("name", "data", "ok", "fragment"), [
    ("new_article.txt", GOOD, True, ""),
    ("New-Article.2.MD", GOOD, True, ""),
    ("../evil.txt", GOOD, False, "contains a path"),
    ("sub/evil.txt", GOOD, False, "contains a path"),
    ("..\\evil.txt", GOOD, False, "contains a path"),
    ("/etc/passwd.txt", GOOD, False, "contains a path"),
    ("..", GOOD, False, "contains a path"),
    ("has space.txt", GOOD, False, "only letters, digits"),
    ("ünïcode.txt", GOOD, False, "only letters, digits"),
    ("semi;colon.txt", GOOD, False, "only letters, digits"),
    ("<script>.txt", GOOD, False, "only letters, digits"),
    (".hidden.txt", GOOD, False, "starts with a dot"),
    ("article.pdf", GOOD, False, "not a .txt or .md"),
    ("article", GOOD, False, "not a .txt or .md"),
    ("", GOOD, False, "no name"),
    ("x" * 250 + ".txt", GOOD, False, "limit is 200"),
    ("empty.txt", b"", False, "is empty"),
    ("blank.txt", b" \n\t\n", False, "only whitespace"),
    ("binary.txt", b"abc\x00def", False, "binary"),
    ("latin1.txt", "café".encode("latin-1"), False, "not UTF-8"),
    ("big.txt", b"a" * 101, False, "limit is 100 bytes"),
    ("000_a.txt", GOOD, False, "already exists"),
    ("000_A.TXT", GOOD, False, "already exists"),  # case-insensitive file systems
    ("copy.txt", b"Existing article text.\n", False, "same content as 000_a.txt"),
    ("copy_crlf.txt", b"Existing article text.\r\n", False, "same content"),  # read_text normalises newlines
])
def test_validate_upload_table(name: str, data: bytes, ok: bool, fragment: str) -> None:
    got_ok, message = ui.validate_upload(name, data, EXISTING, max_bytes=100 if name == "big.txt" else 10_000)
    assert got_ok is ok, message
    assert fragment in message
    if not ok:
        assert message  # a reason the user can act on


def test_validate_upload_limit_is_inclusive() -> None:
    assert ui.validate_upload("ok.txt", b"a" * 50, {}, max_bytes=50)[0]
    assert not ui.validate_upload("ok.txt", b"a" * 51, {}, max_bytes=50)[0]


class TestSaveUpload:
    def _snapshot(self, folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def test_saves_valid_file(self, tmp_path: Path) -> None:
        (tmp_path / "old.txt").write_text("Old article.\n", encoding="utf-8")
        ok, message = ui.save_upload(tmp_path, "new.txt", GOOD, 10_000)
        assert ok, message
        assert "A headline" in message
        assert (tmp_path / "new.txt").read_bytes() == GOOD
        assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt", "old.txt"]  # no temp files left

    @pytest.mark.parametrize(("name", "data"), [
        ("../escape.txt", GOOD), ("old.txt", GOOD), ("dup.txt", b"Old article.\n"), ("bin.txt", b"\x00"),
        ("bad name.txt", GOOD), ("big.txt", b"x" * 20_000),
    ])
    def test_rejected_upload_changes_nothing(self, tmp_path: Path, name: str, data: bytes) -> None:
        seeds = tmp_path / "seeds"
        seeds.mkdir()
        (seeds / "old.txt").write_text("Old article.\n", encoding="utf-8")
        before = self._snapshot(tmp_path)
        ok, message = ui.save_upload(seeds, name, data, 10_000)
        assert not ok and message
        assert self._snapshot(tmp_path) == before

    def test_boilerplate_only_file_is_rejected(self, tmp_path: Path) -> None:
        ok, _ = ui.save_upload(tmp_path, "x.txt", b"\n\n   \n", 10_000)
        assert not ok
        assert list(tmp_path.iterdir()) == []

    def test_existing_articles(self, tmp_path: Path) -> None:
        (tmp_path / "a.txt").write_bytes(b"one\r\ntwo\n")
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "b.md").write_bytes(b"\xff\xfe")
        found = ui.existing_articles(tmp_path)
        assert found == {"a.txt": sha256_text("one\ntwo\n"), "sub/b.md": None}
        assert ui.existing_articles(tmp_path / "missing") == {}

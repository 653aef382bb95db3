"""Unit tests of rag.eval.metrics on tiny hand-made inputs (no models, no index)."""

from __future__ import annotations

import pytest

from rag.errors import InputError
from rag.eval.metrics import (
    MIN_COVER,
    Span,
    abstention_scores,
    alce_sentence,
    answer_correct,
    classification_report,
    coverage,
    evidence_chars,
    first_hit_rank,
    gold_chars,
    is_found,
    locate_quote,
    mean,
    missing_keys,
    normalize,
    percentile,
    recall_at_k,
    reciprocal_rank,
)

DOC = "a.txt"
GOLD = Span(DOC, 100, 200)  # a 100-character gold quote


# ------------------------------------------------------------------ spans
def test_locate_quote_uses_first_occurrence() -> None:
    texts = {DOC: "xx needle yy needle"}
    assert locate_quote(DOC, "needle", texts) == Span(DOC, 3, 9)


@pytest.mark.parametrize("doc, quote", [("missing.txt", "x"), (DOC, "not there")])
def test_locate_quote_errors_name_the_problem(doc: str, quote: str) -> None:
    with pytest.raises(InputError, match="missing.txt|not an exact substring"):
        locate_quote(doc, quote, {DOC: "some text"})


def test_span_rejects_bad_offsets() -> None:
    with pytest.raises(InputError, match="5-4"):
        Span(DOC, 5, 4)


@pytest.mark.parametrize(
    "retrieved, expected",
    [
        (Span(DOC, 0, 1000), 1.0),       # passage contains the quote
        (Span(DOC, 100, 200), 1.0),      # exact span
        (Span(DOC, 120, 400), 0.8),      # covers 80 of 100 characters
        (Span(DOC, 150, 400), 0.5),
        (Span(DOC, 200, 300), 0.0),      # touches the end: [start, end) shares nothing
        (Span("b.txt", 0, 1000), 0.0),   # other document
    ],
)
def test_coverage(retrieved: Span, expected: float) -> None:
    assert coverage(GOLD, retrieved) == pytest.approx(expected)


@pytest.mark.parametrize(
    "retrieved, found",
    [
        ([Span(DOC, 120, 400)], True),                      # exactly 0.8 counts
        ([Span(DOC, 121, 400)], False),                     # 0.79 does not
        ([Span(DOC, 100, 150), Span(DOC, 150, 200)], False),  # two halves: one span must cover it
        ([Span("b.txt", 100, 200), Span(DOC, 90, 210)], True),
    ],
)
def test_is_found_needs_one_span_covering_min_cover(retrieved: list[Span], found: bool) -> None:
    assert MIN_COVER == 0.8
    assert is_found(GOLD, retrieved) is found


def test_recall_at_k_counts_each_gold_quote() -> None:
    g2 = Span("b.txt", 0, 50)
    ranked = [Span(DOC, 500, 600), Span(DOC, 90, 210), Span("b.txt", 0, 300)]
    assert recall_at_k([GOLD, g2], ranked, 1) == 0.0
    assert recall_at_k([GOLD, g2], ranked, 2) == 0.5
    assert recall_at_k([GOLD, g2], ranked, 3) == 1.0
    assert recall_at_k([], ranked, 3) is None


def test_reciprocal_rank_and_first_hit() -> None:
    ranked = [Span(DOC, 500, 600), Span(DOC, 150, 400), Span(DOC, 100, 190)]
    assert first_hit_rank([GOLD], ranked) == 3  # rank 2 covers only half
    assert reciprocal_rank([GOLD], ranked) == pytest.approx(1 / 3)
    assert reciprocal_rank([GOLD], ranked[:2]) == 0.0
    assert reciprocal_rank([], ranked) is None


def test_evidence_chars_counts_overlapping_gold_once() -> None:
    gold = [Span(DOC, 100, 200), Span(DOC, 150, 250)]  # union 100..250
    assert gold_chars(Span(DOC, 0, 1000), gold) == 150
    assert evidence_chars([Span(DOC, 0, 1000), Span(DOC, 200, 300), Span("b.txt", 0, 10)], gold) == (200, 1110)
    assert evidence_chars([], gold) == (0, 0)


# ---------------------------------------------------------------- answers
def test_normalize_makes_quotes_and_dashes_ascii() -> None:
    assert normalize("It\u2019s \u201cVery  Cordial\u201d \u2014 ok") == "it's \"very cordial\" - ok"


@pytest.mark.parametrize(
    "answer, keys, missing",
    [
        ("Sheinbaum called it \u201cvery cordial.\u201d", ['"very cordial'], []),
        ("Mexico\u2019s stance", ["Mexico's"], []),
        ("the U.S.\u2013Mexico border", ["U.S.-Mexico"], []),
        ("MEXICO, El Salvador", ["Mexico", "El Salvador", "Argentina"], ["Argentina"]),
    ],
)
def test_missing_keys_is_case_and_punctuation_insensitive(answer: str, keys: list[str], missing: list[str]) -> None:
    assert missing_keys(answer, keys) == missing


def test_answer_correct_requires_all_keys_and_no_abstention() -> None:
    assert answer_correct("Mexico and Argentina", ["mexico", "argentina"], abstained=False)
    assert not answer_correct("Mexico", ["mexico", "argentina"], abstained=False)
    assert not answer_correct("Mexico and Argentina", ["mexico", "argentina"], abstained=True)
    assert not answer_correct("anything", [], abstained=False)


def test_abstention_scores() -> None:
    unanswerable = [True, True, False, False]
    abstained = [True, False, True, False]
    s = abstention_scores(unanswerable, abstained)
    assert (s["precision"], s["recall"], s["f1"]) == (0.5, 0.5, 0.5)
    never = abstention_scores(unanswerable, [False] * 4)
    assert never["precision"] is None and never["recall"] == 0.0
    with pytest.raises(InputError):
        abstention_scores([True], [])


# ------------------------------------------------------------------ labels
LABELS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")


def test_confusion_matrix_rows_are_gold_columns_predicted() -> None:
    gold = ["SUPPORTED", "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]
    pred = ["SUPPORTED", "NOT_ENOUGH_INFO", "REFUTED", "REFUTED"]
    rep = classification_report(gold, pred, LABELS)
    assert rep["confusion"] == [[1, 0, 1], [0, 1, 0], [0, 1, 0]]
    assert rep["accuracy"] == 0.5
    assert rep["per_label"]["REFUTED"]["precision"] == 0.5
    assert rep["per_label"]["REFUTED"]["recall"] == 1.0
    assert rep["per_label"]["SUPPORTED"]["precision"] == 1.0
    assert rep["per_label"]["SUPPORTED"]["recall"] == 0.5


def test_macro_f1_averages_labels_equally() -> None:
    gold = ["SUPPORTED", "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"]
    pred = ["SUPPORTED", "NOT_ENOUGH_INFO", "REFUTED", "REFUTED"]
    rep = classification_report(gold, pred, LABELS)
    f1_sup = 2 * 1.0 * 0.5 / 1.5
    f1_ref = 2 * 0.5 * 1.0 / 1.5
    f1_nei = 0.0  # one gold case, never right
    assert rep["macro_f1"] == pytest.approx((f1_sup + f1_ref + f1_nei) / 3)


def test_never_predicted_label_counts_as_zero_not_skipped() -> None:
    rep = classification_report(["SUPPORTED", "REFUTED"], ["SUPPORTED", "SUPPORTED"], LABELS)
    assert rep["per_label"]["REFUTED"]["precision"] == 0.0
    assert rep["per_label"]["REFUTED"]["f1"] == 0.0
    assert rep["per_label"]["NOT_ENOUGH_INFO"]["f1"] is None  # no gold cases: left out of the mean
    assert rep["macro_f1"] == pytest.approx((2 / 3 + 0.0) / 2)


def test_perfect_predictions() -> None:
    gold = list(LABELS) * 2
    rep = classification_report(gold, gold, LABELS)
    assert rep["accuracy"] == rep["macro_f1"] == 1.0
    assert rep["confusion"] == [[2, 0, 0], [0, 2, 0], [0, 0, 2]]


def test_classification_report_rejects_unknown_label() -> None:
    with pytest.raises(InputError, match="MAYBE"):
        classification_report(["SUPPORTED"], ["MAYBE"], LABELS)


# ---------------------------------------------------------------- citations
def _entails_when(supporting: set[frozenset[str]]):  # noqa: ANN202
    """A fake entailment: the sentence is entailed when the cited set contains a supporting set."""

    def entails(_sentence: str, cites: list[str]) -> bool:
        have = frozenset(cites)
        return any(s <= have for s in supporting)

    return entails


def test_alce_single_supporting_citation() -> None:
    assert alce_sentence("s", ["a"], _entails_when({frozenset("a")})) == (True, [True])


def test_alce_irrelevant_extra_citation_is_imprecise() -> None:
    assert alce_sentence("s", ["a", "b"], _entails_when({frozenset("a")})) == (True, [True, False])


def test_alce_citations_needed_together_are_both_precise() -> None:
    assert alce_sentence("s", ["a", "b"], _entails_when({frozenset("ab")})) == (True, [True, True])


def test_alce_unsupported_sentence_has_no_precise_citation() -> None:
    assert alce_sentence("s", ["a", "b"], _entails_when(set())) == (False, [False, False])
    assert alce_sentence("s", [], _entails_when(set())) == (False, [])


# --------------------------------------------------------------- aggregates
def test_mean_and_percentile() -> None:
    assert mean([1, None, 0, True]) == pytest.approx(2 / 3)
    assert mean([None]) is None
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([5], 95) == 5
    assert percentile([], 50) is None

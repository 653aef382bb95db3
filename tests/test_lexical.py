"""Tests for rag.lexical: BM25 ranking, tokenizer, save/load."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.chunking import chunk_corpus
from rag.corpus import load_corpus
from rag.lexical import BM25Index, synonyms, tokenize

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PASSAGES = chunk_corpus(load_corpus(SEEDS).documents)


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build([p.id for p in PASSAGES], [p.search_text() for p in PASSAGES])


def _text(pid: str) -> str:
    return next(p.text for p in PASSAGES if p.id == pid)


@pytest.mark.parametrize(
    ("query", "must_contain"),
    [
        ("Bloomberg", "Bloomberg"),
        ("Darien Gap", "Darien Gap"),
        ("George Soros", "George Soros"),
        ("Kamala Harris border czar", "border czar"),
        ("caravans disbanded", "disbanded two migrant caravans"),
    ],
)
def test_exact_term_passage_ranks_first(index: BM25Index, query: str, must_contain: str) -> None:
    hits = index.search(query, 5)
    assert hits
    assert must_contain in _text(hits[0][0])
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)


def test_stemming_matches_plural_and_verb_forms(index: BM25Index) -> None:
    # "caravan" (singular) finds the passage that says "caravans".
    assert "caravans" in _text(index.search("caravan", 3)[0][0])
    assert tokenize("deportations deported deporting") == ["deportation", "deport", "deport"]


@pytest.mark.parametrize("query", ["zzyzx quux", "", "the and of", "?!", "a"])
def test_unknown_or_empty_terms_return_nothing(index: BM25Index, query: str) -> None:
    assert index.search(query, 10) == []


def test_k_limits_results(index: BM25Index) -> None:
    assert len(index.search("Trump migration", 3)) == 3
    assert len(index.search("Trump migration", 1)) == 1
    assert len(index.search("Trump", 10_000)) <= len(PASSAGES)


def test_save_load_round_trip_gives_identical_results(index: BM25Index, tmp_path: Path) -> None:
    index.save(tmp_path)
    assert (tmp_path / "lexical.npz").exists() and (tmp_path / "lexical.json").exists()
    loaded = BM25Index.load(tmp_path)
    assert loaded.ids == index.ids
    assert loaded.vocab == index.vocab
    for q in ["Bloomberg", "Sheinbaum Spanish", "human rights El Salvador", "tariffs Mexican economy"]:
        assert loaded.search(q, 8) == index.search(q, 8)
    assert loaded.idf("bloomberg") == pytest.approx(index.idf("bloomberg"))


def test_idf_rare_terms_weigh_more(index: BM25Index) -> None:
    assert index.idf("bloomberg") > index.idf("trump") > 0
    assert index.idf("notaword") == 0.0


def test_empty_index_searches_to_nothing(tmp_path: Path) -> None:
    empty = BM25Index.build([], [])
    assert empty.search("anything", 5) == []
    empty.save(tmp_path)
    assert BM25Index.load(tmp_path).search("anything", 5) == []


def test_tokenize_drops_stopwords_and_normalises() -> None:
    assert tokenize("The U.S. and El Salvador’s leaders") == ["unit", "stat", "el", "salvador", "leader"]
    assert tokenize("2024 election, 3.5 percent") == ["2024", "election", "3.5", "percent"]


def test_synonyms_are_tokenized_paraphrases() -> None:
    assert "discussion" in synonyms("talk")
    assert "talk" in synonyms("discussion")
    assert "talk" not in synonyms("talk")
    assert synonyms("zzzz") == frozenset()


def test_search_expanded_counts_a_synonym_below_the_word_itself(index: BM25Index) -> None:
    # The plain search does not find "discussion" for "talk"; the expanded one does.
    plain = {pid for pid, _ in index.search("talk", 50)}
    expanded = dict(index.search_expanded("talk", 50, 0.5))
    found = [pid for pid in expanded if "discussion" in _text(pid).lower()]
    assert found and not set(found) <= plain
    # A term's synonym is discounted: the same query with weight 0 finds only the word itself.
    assert {pid for pid, _ in index.search_expanded("talk", 50, 0.0)} == plain
    # An exact match never scores below the plain search.
    for pid, score in index.search("Darien Gap", 5):
        assert dict(index.search_expanded("Darien Gap", 50, 0.5))[pid] >= score - 1e-6


def test_search_expanded_unknown_terms_return_nothing(index: BM25Index) -> None:
    assert index.search_expanded("zzzzqqq", 5) == []
    assert index.search_expanded("", 5) == []


def test_country_abbreviations_match_their_spelled_out_names() -> None:
    assert tokenize("the U.S. may benefit") == tokenize("the United States may benefit")
    assert tokenize("US-Central American relations")[:2] == tokenize("United States")
    assert tokenize("U.K. officials") == tokenize("United Kingdom officials")
    assert tokenize("Washington, D.C.") == ["washington", "dc"]
    # The pronoun is not the country; a word merely containing the letters is untouched.
    assert "stat" not in tokenize("they told us") and tokenize("focus") == ["focu"]

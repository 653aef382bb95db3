"""Tests for rag.corpus: loading articles, skipping bad files, cutting boilerplate."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.chunking import chunk_document
from rag.corpus import Corpus, find_body_end, load_corpus
from rag.errors import ConfigError
from rag.types import sha256_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOOD = "Mexico and the United States discussed migration. Both sides agreed to talk again.\n"


def _write(name: str, data: bytes) -> Callable[[Path, Path], None]:
    def make(seeds: Path, outside: Path) -> None:
        (seeds / name).write_bytes(data)

    return make


def _symlink_outside(seeds: Path, outside: Path) -> None:
    target = outside / "secret.txt"
    target.write_text("A secret file outside the seeds folder. It must not be indexed.\n", encoding="utf-8")
    (seeds / "link.txt").symlink_to(target)


def _big(seeds: Path, outside: Path) -> None:
    (seeds / "big.txt").write_text("Long article sentence. " * 100, encoding="utf-8")  # 2300 bytes


BAD_FILES = [
    ("empty.txt", _write("empty.txt", b""), "empty"),
    ("blank.md", _write("blank.md", b"   \n\t\n  \r\n"), "empty"),
    # Only a BOM, zero-width spaces and NBSPs: nothing a person sees, nothing to cite.
    ("bom-only.txt", _write("bom-only.txt", "\ufeff\u200b\u00a0\n".encode()), "empty"),
    ("binary.txt", _write("binary.txt", b"Looks like text\x00\x01\x02 but is binary."), "binary"),
    ("latin1.txt", _write("latin1.txt", "Café in São Paulo. Niño.".encode("latin-1")), "utf-8"),
    ("big.txt", _big, "limit"),
    ("link.txt", _symlink_outside, "outside"),
]


@pytest.mark.parametrize(("name", "make", "reason_word"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_skipped_with_reason_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, make: Callable, reason_word: str
) -> None:
    seeds = tmp_path / "seeds"
    outside = tmp_path / "outside"
    seeds.mkdir()
    outside.mkdir()
    (seeds / "good.txt").write_text(GOOD, encoding="utf-8")
    make(seeds, outside)

    with caplog.at_level(logging.WARNING, logger="rag.corpus"):
        corpus = load_corpus(seeds, max_bytes=2000)

    assert [d.name for d in corpus.documents] == ["good.txt"]
    assert len(corpus.skipped) == 1
    skipped = corpus.skipped[0]
    assert skipped.name == name
    assert reason_word.lower() in skipped.reason.lower()
    # The warning names the file, so an operator can find it.
    assert any(name in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_all_bad_files_together_still_load_the_good_one(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    outside = tmp_path / "outside"
    seeds.mkdir()
    outside.mkdir()
    (seeds / "good.txt").write_text(GOOD, encoding="utf-8")
    for _name, make, _ in BAD_FILES:
        make(seeds, outside)
    corpus = load_corpus(seeds, max_bytes=2000)
    assert [d.name for d in corpus.documents] == ["good.txt"]
    assert sorted(s.name for s in corpus.skipped) == sorted(b[0] for b in BAD_FILES)


def test_symlink_inside_seeds_is_loaded(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "sub" / "real.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "alias.txt").symlink_to(seeds / "sub" / "real.txt")
    corpus = load_corpus(seeds)
    assert corpus.skipped == []
    by_name = corpus.by_name()
    assert set(by_name) == {"alias.txt", "sub/real.txt"}
    assert by_name["alias.txt"].text == GOOD


def test_symlinked_directory_outside_is_not_followed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    outside = tmp_path / "outside"
    seeds.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "good.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "escape").symlink_to(outside, target_is_directory=True)
    corpus = load_corpus(seeds)
    assert [d.name for d in corpus.documents] == ["good.txt"]


def test_other_suffixes_and_hidden_files_are_ignored_silently(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "b.MD").write_text("# Heading\n\n" + GOOD, encoding="utf-8")
    (seeds / "paper.pdf").write_bytes(b"%PDF-1.4\n\x00\x01binary")
    (seeds / "notes.docx").write_bytes(b"PK\x03\x04")
    (seeds / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "folder.txt").mkdir()  # a directory with a matching suffix
    corpus = load_corpus(seeds)
    assert [d.name for d in corpus.documents] == ["a.txt", "b.MD"]
    assert corpus.skipped == []


def test_files_in_hidden_folders_are_ignored(tmp_path: Path) -> None:
    # .git, .ipynb_checkpoints (copies of every article) and the like are not articles.
    seeds = tmp_path / "seeds"
    for folder in (".ipynb_checkpoints", ".git/info", "sub/.cache"):
        (seeds / folder).mkdir(parents=True)
        (seeds / folder / "copy.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "sub" / "kept.md").write_text(GOOD, encoding="utf-8")
    corpus = load_corpus(seeds)
    assert [d.name for d in corpus.documents] == ["sub/kept.md"]
    assert corpus.skipped == []


def test_seeds_path_that_is_a_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "seeds.txt").write_text("an article, not a folder")
    with pytest.raises(ConfigError, match="is a file, not a folder; point RAG_SEEDS_DIR"):
        load_corpus(tmp_path / "seeds.txt")


def test_missing_seeds_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RAG_SEEDS_DIR"):
        load_corpus(tmp_path / "nope")


def test_documents_are_sorted_and_hashed() -> None:
    corpus = load_corpus(SEEDS)
    names = [d.name for d in corpus.documents]
    assert names == sorted(names)
    assert len(names) == 5
    for d in corpus.documents:
        text = (SEEDS / d.name).read_text(encoding="utf-8")
        assert d.text == text
        assert d.sha256 == sha256_text(text)
        assert 0 < d.body_end <= len(d.text)


# ------------------------------------------------------------------- boilerplate
@pytest.fixture(scope="module")
def seed_corpus() -> Corpus:
    return load_corpus(SEEDS)


def test_bbc_teaser_block_is_cut_from_001(seed_corpus: Corpus) -> None:
    doc = seed_corpus.by_name()["001_4a85e0fc2ba689d2.txt"]
    marker = doc.text.index("See more BBC Express News")
    assert doc.body_end <= marker
    # The body still ends with the article's last real sentence.
    assert doc.body.endswith("a new era of cooperation in tackling illegal immigration and crime.")
    assert "George Santos" in doc.text
    assert "George Santos" not in doc.body


def test_no_passage_quotes_the_teaser_block(seed_corpus: Corpus) -> None:
    for doc in seed_corpus.documents:
        for p in chunk_document(doc):
            assert "See more" not in p.text
            assert "George Santos" not in p.text
            assert p.end <= doc.body_end


@pytest.mark.parametrize("name", ["000_1288dd2c134e0c9c.txt", "003_625a3d29147f48c6.txt",
                                  "004_34f4f6a5d1ef3bf9.txt"])
def test_articles_without_boilerplate_keep_their_whole_body(seed_corpus: Corpus, name: str) -> None:
    doc = seed_corpus.by_name()[name]
    assert doc.body_end == len(doc.text.rstrip())


def test_trailing_blank_lines_are_not_body(seed_corpus: Corpus) -> None:
    doc = seed_corpus.by_name()["002_2aeaa621a2b75187.txt"]
    assert doc.text.endswith("\n\n")
    assert doc.body == doc.text.rstrip()


@pytest.mark.parametrize(
    ("tail", "cut"),
    [
        ("Read more\nShort teaser one.\nShort teaser two.", True),
        ("You may also like\nAnother headline here", True),
        ("RELATED STORIES\nTeaser about something else", True),
        ("See more\n" + "A long real paragraph. " * 20, False),  # a long follower is article text
    ],
)
def test_find_body_end_on_synthetic_tails(tail: str, cut: bool) -> None:
    body = "Headline of the story\nThe first paragraph of the story is here. It has two sentences."
    text = body + "\n" + tail + "\n"
    end = find_body_end(text)
    if cut:
        assert end == len(body)
    else:
        assert end == len(text.rstrip())


def test_find_body_end_keeps_real_closing_sentences() -> None:
    text = ("Talks resumed on Monday between the two governments after a long pause in relations.\n"
            "Recommended changes to asylum rules will be debated next week.\n"
            "The ministry declined to comment.\n")
    assert find_body_end(text) == len(text.rstrip())


def test_find_body_end_of_blank_text_is_zero() -> None:
    assert find_body_end("") == 0
    assert find_body_end(" \n\n\t") == 0


# ----------------------------------------------------------------------- CRLF
def test_crlf_offsets_index_into_read_text(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    raw = ("Talks on Migration\r\n\r\nMexico and the U.S. met on Monday. They agreed to meet again.\r\n"
           "- First point of the deal.\r\n- Second point of the deal.\r\n\r\n"
           "Officials said \"more talks. Soon.\" The end.\r\n")
    path = seeds / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    corpus = load_corpus(seeds)
    (doc,) = corpus.documents
    expected = path.read_text(encoding="utf-8")
    assert "\r" not in expected
    assert doc.text == expected
    assert doc.sha256 == sha256_text(expected)
    passages = chunk_document(doc)
    assert passages
    for p in passages:
        assert expected[p.start : p.end] == p.text
        assert "\r" not in p.text
        for s in p.sentences:
            assert expected[s.start : s.end] == s.text
    sentences = [s.text for p in passages for s in p.sentences]
    assert "They agreed to meet again." in sentences
    assert 'Officials said "more talks. Soon." The end.' not in sentences  # split after the quote
    assert 'Officials said "more talks. Soon."' in sentences


def test_utf8_bom_and_non_ascii_offsets(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    path = seeds / "bom.txt"
    path.write_bytes("\ufeffSheinbaum escribió en español. “Construir puentes,” dijo ella.\n".encode())
    (doc,) = load_corpus(seeds).documents
    text = path.read_text(encoding="utf-8")
    for p in chunk_document(doc):
        assert text[p.start : p.end] == p.text

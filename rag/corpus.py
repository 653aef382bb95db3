"""Load the corpus: every ``.txt`` / ``.md`` article under the seeds folder.

A file that is empty, binary, not UTF-8, too large, or a symlink leading outside the
folder is skipped with a warning naming it; it never crashes a build. Trailing site
boilerplate (a "See more …" block of teaser links) is detected and excluded from the
indexed body, so it can never be cited as if it were the article.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import ConfigError
from rag.text import is_blank
from rag.types import Document, sha256_text

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md")

# Lines that open a block of site furniture at the end of a scraped article.
_BOILERPLATE_MARKER = re.compile(
    r"^\s*(see more|read more|more from|more stories|related( stories| articles| news)?\b|"
    r"recommended|you may also like|also read|trending( now)?|explore more|most read|"
    r"sign up for|subscribe to|share this|follow us)",
    re.IGNORECASE,
)
# How far from the end a marker may sit (in non-blank lines) and how long its followers may be.
_MARKER_WINDOW = 15
_TEASER_MAX_CHARS = 250


@dataclass(frozen=True)
class SkippedFile:
    """A file that was not loaded, and why."""

    name: str
    reason: str


@dataclass
class Corpus:
    """Loaded documents plus the files that were skipped."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    def by_name(self) -> dict[str, Document]:
        return {d.name: d for d in self.documents}


def find_body_end(text: str) -> int:
    """Offset where the article body ends (trailing blanks and boilerplate removed)."""
    lines: list[tuple[int, int]] = []  # (start, end) of non-blank lines
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append((pos + lead, pos + lead + len(stripped)))
        pos += len(raw)
    if not lines:
        return 0
    end = lines[-1][1]
    first = max(1, len(lines) - _MARKER_WINDOW)  # the first line is never boilerplate
    for i in range(first, len(lines)):
        s, e = lines[i]
        line = text[s:e]
        if len(line) > 80 or not _BOILERPLATE_MARKER.match(line) or line.rstrip()[-1:] in ".!?\"”":
            continue  # a real sentence that happens to start with "Related", "Recommended", ...
        if any(fe - fs > _TEASER_MAX_CHARS for fs, fe in lines[i + 1 :]):
            continue
        return lines[i - 1][1]
    return end


def _title(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    if len(first) <= 160 and not first.endswith("."):
        return first
    return first[:80].rsplit(" ", 1)[0] + "…" if len(first) > 80 else first


def load_document(path: Path, root: Path, max_bytes: int) -> Document | SkippedFile:
    """Load one article, or say why it is skipped."""
    name = path.relative_to(root).as_posix()
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root.resolve()):
                return SkippedFile(name, f"symlink to {target} outside the seeds folder")
        size = path.stat().st_size
        if size > max_bytes:
            return SkippedFile(name, f"{size} bytes is over the {max_bytes}-byte limit (RAG_MAX_FILE_BYTES)")
        raw = path.read_bytes()
    except OSError as exc:
        return SkippedFile(name, f"cannot be read: {exc}")
    if b"\x00" in raw:
        return SkippedFile(name, "binary file (contains NUL bytes)")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SkippedFile(name, f"not UTF-8 ({exc.reason} at byte {exc.start})")
    # Offsets index into exactly what Path.read_text gives (universal newlines).
    text = path.read_text(encoding="utf-8")
    if is_blank(text):  # whitespace only, or only a BOM / zero-width characters: nothing to cite
        return SkippedFile(name, "empty file")
    body_end = find_body_end(text)
    if body_end < len(text.rstrip()):
        log.info("%s: ignoring trailing boilerplate after offset %d", name, body_end)
    return Document(name=name, text=text, sha256=sha256_text(text), body_end=body_end,
                    title=_title(text[:body_end]))


def check_seeds_dir(seeds_dir: Path) -> None:
    """Raise :class:`ConfigError` unless ``seeds_dir`` is a folder, saying what it is instead."""
    if seeds_dir.is_dir():
        return
    if seeds_dir.exists():
        raise ConfigError(f"seeds folder {seeds_dir} is a file, not a folder; point RAG_SEEDS_DIR at "
                          "the folder of articles")
    raise ConfigError(f"seeds folder {seeds_dir} does not exist; set RAG_SEEDS_DIR or create it")


def article_paths(seeds_dir: Path) -> list[Path]:
    """The files under ``seeds_dir`` that are articles to index (sorted): ``.txt`` and ``.md``,
    not under a hidden folder (.git, .ipynb_checkpoints) nor hidden themselves (an upload's
    temp file). Whether each can be read is :func:`load_document`'s business."""
    out = []
    for path in sorted(seeds_dir.rglob("*")):
        if path.suffix.lower() not in SUFFIXES:
            continue
        if any(part.startswith(".") for part in path.relative_to(seeds_dir).parts):
            continue
        if path.is_file():
            out.append(path)
    return out


def load_corpus(seeds_dir: Path, max_bytes: int = 5_000_000) -> Corpus:
    """Load every article under ``seeds_dir`` (sorted by name).

    Raises:
        ConfigError: the folder does not exist.
    """
    check_seeds_dir(seeds_dir)
    corpus = Corpus()
    for path in article_paths(seeds_dir):
        result = load_document(path, seeds_dir, max_bytes)
        if isinstance(result, SkippedFile):
            log.warning("skipping %s: %s", result.name, result.reason)
            corpus.skipped.append(result)
        else:
            corpus.documents.append(result)
    return corpus

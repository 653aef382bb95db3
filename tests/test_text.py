"""Tests for rag.text: what counts as blank user text."""

from __future__ import annotations

import pytest

from rag.text import is_blank


@pytest.mark.parametrize("text", [
    "", " \t\n", "\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u00a0", "\u2003\u3000\u202f",
    "\u2028\u2029", "\x00\x1f", "\u00ad", "\u200e\u200f\u202a\u202e\u2066\u2069", "\u3164\u115f\uffa0",
    "\u2800", "\ufe0f", "\u034f",
], ids=lambda t: f"{t!a}")
def test_blank(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", "\u200bx\u200b", ".", "\u00a0?", "🇲🇽", "\u0301", "\u05d0", "0"],
                         ids=lambda t: f"{t!a}")
def test_not_blank(text: str) -> None:
    assert not is_blank(text)

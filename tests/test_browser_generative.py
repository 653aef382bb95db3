"""Generative mode in a real browser: ``RAG_GENERATOR=llamacpp streamlit run app.py``.

The real local GGUF writes the answer; the test watches the page while it does: the
unchecked draft must appear and grow (tokens streaming in), then give way to the
checked answer with its citation markers and source cards. Skips without Chromium or
the generative extras (fails instead when ``RAG_REQUIRE_LLM=1``, as in CI).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, _shot, serve_app
from test_llm_integration import _require_llm

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.llm,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]

QUESTION = "How did Claudia Sheinbaum describe her exchange with Trump?"


@pytest.fixture(scope="module")
def llm_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_llm()
    with serve_app(tmp_path_factory.mktemp("browser-llm"), "streamlit-llm-server.log", RAG_GENERATOR="llamacpp") as url:
        yield url


def test_draft_streams_then_the_checked_answer_replaces_it(llm_app_url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1440, "height": 1000})
            pg.set_default_timeout(300_000)
            pg.goto(llm_app_url)
            box = pg.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=300_000)
            box.fill(QUESTION)
            box.press("Enter")
            # Sample the draft while the model writes: it must be seen growing.
            draft = pg.locator(".draft")
            draft.first.wait_for(timeout=300_000)
            seen: list[str] = []
            answer = pg.locator(".rag-answer")
            for _ in range(600):
                if answer.count():
                    break
                if draft.count():
                    try:
                        text = draft.first.inner_text(timeout=1000)
                    except Exception:  # noqa: BLE001 - the draft may vanish between count() and read
                        text = ""
                    if text and (not seen or text != seen[-1]):
                        seen.append(text)
                        if len(seen) == 2:
                            _shot(pg, "llm-01-drafting.png")
                pg.wait_for_timeout(100)
            answer.first.wait_for(timeout=300_000)
            assert len(seen) >= 2, f"the draft never grew: {seen}"
            assert all(len(a) <= len(b) for a, b in zip(seen, seen[1:], strict=False)), seen
            final = answer.first.inner_text()
            assert "cordial" in final.lower()
            assert pg.locator("a.cite-marker").count() >= 1
            pg.locator(".src-card").first.wait_for(timeout=60_000)  # the source cards render after the answer
            pg.wait_for_function("() => !document.querySelector('.draft')", timeout=60_000)
            _shot(pg, "llm-02-answer.png")
        finally:
            browser.close()

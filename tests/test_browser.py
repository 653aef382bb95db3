"""The real app in a real browser: ``streamlit run app.py`` driven by headless Chromium.

Starts Streamlit on a free loopback port with a private copy of the seeds and an
empty index folder (so the app builds its index on first run with the real MiniLM
model), asks a question, checks a claim, and saves screenshots to
``test-artifacts/``. With ``RAG_UPDATE_SCREENSHOTS=1`` the final two also replace
README's ``docs/screenshot-*.png``; a plain test run leaves the checkout untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import stop_process

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT / "test-artifacts"
DOCS = PROJECT / "docs"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
#: First run loads the model and embeds the corpus; a busy CI machine needs a while.
STARTUP_TIMEOUT_S = 300
ANSWER_TIMEOUT_S = 180

def _publish(artifact: str, name: str) -> None:
    """Copy a screenshot over README's, only when asked (RAG_UPDATE_SCREENSHOTS=1)."""
    if os.environ.get("RAG_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / artifact, DOCS / name)


pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"streamlit did not become healthy in {timeout} s:\n{log_path.read_text()[-3000:]}")


@contextmanager
def serve_app(root: Path, log_name: str, **rag_env: str) -> Iterator[str]:
    """``streamlit run app.py`` on a free loopback port over a private copy of the seeds
    under ``root`` (empty index folder); ``rag_env`` adds ``RAG_*`` settings. Yields the URL."""
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    ARTIFACTS.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(RAG_SEEDS_DIR=str(root / "seeds"), RAG_INDEX_DIR=str(root / "index"),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false", **rag_env)
    port = _free_port()
    log_path = ARTIFACTS / log_name
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, log_path, 60)
            yield f"http://127.0.0.1:{port}/"
        finally:
            stop_process(proc)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_app(tmp_path_factory.mktemp("browser"), "streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1440, "height": 1000})
            pg.set_default_timeout(ANSWER_TIMEOUT_S * 1000)
            pg.goto(app_url)
            # The first run builds the index before the chat input appears.
            pg.get_by_test_id("stChatInputTextArea").wait_for(timeout=STARTUP_TIMEOUT_S * 1000)
            _shot(pg, "01-loaded.png")
            yield pg
        finally:
            browser.close()


def _shot(pg: object, name: str) -> Path:
    """Screenshot the whole app (Streamlit scrolls inside its own container, not the page)."""
    path = ARTIFACTS / name
    size = pg.viewport_size  # type: ignore[attr-defined]
    height = pg.evaluate(  # type: ignore[attr-defined]
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }")
    pg.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 5000))})  # type: ignore[attr-defined]
    pg.wait_for_timeout(300)  # type: ignore[attr-defined]
    pg.screenshot(path=str(path))  # type: ignore[attr-defined]
    pg.set_viewport_size(size)  # type: ignore[attr-defined]
    return path


def _idle(pg: object) -> None:
    """Wait until Streamlit has finished the current script run."""
    pg.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=ANSWER_TIMEOUT_S * 1000)


def test_chat_answer_with_highlighted_citation(page: object) -> None:
    pg = page
    box = pg.get_by_test_id("stChatInputTextArea")  # type: ignore[attr-defined]
    box.fill("Which outlet reported the Foreign Affairs Ministry statement?")
    box.press("Enter")
    answer = pg.locator(".rag-answer")  # type: ignore[attr-defined]
    answer.first.wait_for()
    _idle(pg)
    assert "Bloomberg" in answer.first.inner_text()
    mark = pg.locator(".src-card mark.hl").first  # type: ignore[attr-defined]
    mark.wait_for()
    assert "Bloomberg" in mark.inner_text()
    assert pg.locator("a.cite-marker").first.inner_text() == "[1]"  # type: ignore[attr-defined]
    _shot(pg, "02-chat-answer.png")

    # "Open article" shows the whole article, scrolled to the highlighted span.
    pg.get_by_text("Open article").first.click()  # type: ignore[attr-defined]
    target = pg.locator(".article-box mark[id]").first  # type: ignore[attr-defined]
    target.wait_for()
    pg.wait_for_timeout(500)  # type: ignore[attr-defined]
    assert "Bloomberg" in target.inner_text()
    in_view = target.evaluate(
        "m => { const b = m.closest('.article-box').getBoundingClientRect();"
        " const r = m.getBoundingClientRect(); return r.top >= b.top && r.bottom <= b.bottom; }")
    scrolled = target.evaluate("m => m.closest('.article-box').scrollTop")
    _shot(pg, "03-chat-article.png")
    assert in_view, f"the cited span is not scrolled into view (scrollTop={scrolled})"
    _publish("03-chat-article.png", "screenshot-chat.png")


def test_check_claim_refuted(page: object) -> None:
    pg = page
    pg.get_by_role("tab", name="Check a claim").click()  # type: ignore[attr-defined]
    area = pg.get_by_label("Claim or paragraph")  # type: ignore[attr-defined]
    area.fill("Sheinbaum posted her comments on Facebook.")
    pg.get_by_test_id("stBaseButton-primaryFormSubmit").click()  # type: ignore[attr-defined]
    # A badge's text is its Material icon's ligature name followed by the label.
    badge = pg.get_by_text(re.compile(r"^(cancel\s*)?Refuted$"))  # type: ignore[attr-defined]
    badge.first.wait_for()
    _idle(pg)
    assert pg.locator(".claim-text").first.inner_text() == "Sheinbaum posted her comments on Facebook."  # type: ignore[attr-defined]
    # The refuting span (it names the real platform) is highlighted as refuting.
    pg.locator(".src-card mark.hl-refutes", has_text="X (formerly Twitter)").first.wait_for()  # type: ignore[attr-defined]
    _shot(pg, "04-check-claim.png")
    _publish("04-check-claim.png", "screenshot-check.png")


def test_abstention_looks_different(page: object) -> None:
    pg = page
    pg.get_by_role("tab", name="Chat").click()  # type: ignore[attr-defined]
    box = pg.get_by_test_id("stChatInputTextArea")  # type: ignore[attr-defined]
    box.fill("What did Angela Merkel say about migration?")
    box.press("Enter")
    pg.get_by_text(re.compile(r"^(block\s*)?Not in the corpus$")).first.wait_for()  # type: ignore[attr-defined]
    _idle(pg)
    alert = pg.get_by_test_id("stAlertContentInfo").last  # type: ignore[attr-defined]
    assert "The corpus does not say." in alert.inner_text()
    _shot(pg, "05-chat-abstention.png")

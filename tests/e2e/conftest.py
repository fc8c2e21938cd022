"""Browser tests: Playwright driving Debian's Chromium against a live server with demo data.

Without Chromium they skip with one line saying so; everything else still runs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = Path(CHROMIUM).exists()
# Playwright's sync API runs an event loop in this thread; Django must allow database calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.skipif(
    not HAS_CHROMIUM,
    reason="browser tests need Chromium (apt-get install chromium): not found, skipped",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not HAS_CHROMIUM:
        skip = pytest.mark.skip(reason="browser tests need Chromium (apt-get install chromium)")
        for item in items:
            if "tests/e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def demo(transactional_db: None, settings: Any) -> dict[str, Any]:
    """The real plan and the demo's users and synthetic readings."""
    from django.conf import settings as django_settings

    from demo.data import DEMO_PASSWORD, demo_load
    from measures.loaders import load_all

    load_all(Path(django_settings.PLAN_FIXTURES_DIR))
    demo_load()
    return {"password": DEMO_PASSWORD}


@pytest.fixture
def page(browser: Any, live_server: Any, demo: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

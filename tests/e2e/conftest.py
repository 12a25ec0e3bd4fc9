"""End-to-end tests: the public site served by pytest-django's live server, driven in Chromium.

Debian's chromium (scripts/install-browser.sh) is launched through Playwright; no browser is ever
downloaded. Without chromium or the playwright package every test here is skipped with a reason.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from tests.support import restore_migration_rows

# Playwright's sync API keeps an asyncio event loop marked as running in the main thread;
# Django would otherwise refuse ORM calls from the tests ("SynchronousOnlyOperation").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parent.parent
AXE_JS = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def find_chromium() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("chromium is not installed (run scripts/install-browser.sh)")
    return path


@pytest.fixture(scope="package")
def browser(chromium_path):
    """One headless Chromium for this folder, closed when its last test is done.

    Between calls Playwright's sync API leaves its event loop marked as running in the main
    thread, which changes what asyncio-aware code (Django's connection handler, async_unsafe)
    sees; scoping the browser to this package keeps that out of the rest of the suite.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"the playwright package cannot be imported: {exc}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _requires_browser(browser):
    """Every test in this folder needs the browser: skip them all cleanly when it is missing."""


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The demo page tree, units and circulars (load_demo), served by the live server."""
    from django.core.management import call_command

    restore_migration_rows()
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    return live_server


class NetworkLog:
    """Every response the page received, to tell whether CSS and fonts really loaded."""

    def __init__(self):
        self.responses: list[tuple[str, int, str]] = []
        self.failed: list[str] = []

    def on_response(self, response):
        self.responses.append(
            (response.url, response.status, response.headers.get("content-type", ""))
        )

    def on_failed(self, request):
        self.failed.append(f"{request.url}: {request.failure}")

    def status_of(self, path_part: str) -> list[int]:
        return [status for url, status, _ in self.responses if path_part in url]

    def errors(self) -> list[str]:
        bad = [f"{url} -> {status}" for url, status, _ in self.responses if status >= 400]
        return bad + self.failed


def _new_page(browser, base_url: str, viewport: dict, **options):
    context = browser.new_context(
        base_url=base_url, viewport=viewport, locale="th-TH", timezone_id="Asia/Bangkok", **options
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log = NetworkLog()
    page.on("response", log.on_response)
    page.on("requestfailed", log.on_failed)
    page.network_log = log
    return context, page


@pytest.fixture
def page(browser, demo_site):
    """A desktop tab whose browser prefers Thai, as a visitor in Thailand would."""
    context, page = _new_page(browser, demo_site.url, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, demo_site):
    """A phone-sized tab (390×844, touch, 3× pixels)."""
    context, page = _new_page(
        browser, demo_site.url, PHONE, is_mobile=True, has_touch=True, device_scale_factor=3
    )
    yield page
    context.close()


@pytest.fixture
def axe_path() -> Path:
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core is not installed ({AXE_JS} is missing; run npm ci)")
    return AXE_JS


@pytest.fixture
def response_demo(demo_site, settings, tmp_path):
    """The demo response forms (load_response_demo) on top of demo_site; uploads go to tmp_path."""
    from django.core.management import call_command

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("load_response_demo", stdout=io.StringIO(), stderr=io.StringIO())
    return demo_site


def assert_no_serious_axe_violations(page, axe_path, where: str) -> None:
    """Run axe-core on the page; fail on any serious or critical violation, listing them."""
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("async () => await axe.run(document)")
    assert result["passes"], "axe did not run any check"
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])
        for v in serious
    )
    assert not serious, f"axe found serious/critical violations on {where}:\n{report}"

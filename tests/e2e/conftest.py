"""Browser tests: the real `serve` (waitress) on a demo store, driven by Debian's Chromium.

Chromium and axe-core must be installed (scripts/ensure-services.sh does it): the tests fail
loudly, they never skip.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from registry.config import Settings
from registry.demo import load_demo
from web.demo_accounts import create_demo_accounts

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SSA_REGISTRY_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser bundle, from the npm package."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `npm ci` (scripts/ensure-services.sh)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing ({CHROMIUM}): apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`ssa-registry serve` (waitress) on a fresh demo store; its base URL."""
    from web.store import registry_class

    data = tmp_path_factory.mktemp("e2e") / "data"
    data.mkdir()
    settings = Settings(data=data, database_url=None)
    registry = registry_class()(env=settings.event_store_env())
    try:
        load_demo(registry)
    finally:
        registry.close()
    create_demo_accounts(settings)
    port = free_port()
    env = {**os.environ, "SSA_REGISTRY_DATA": str(data), "SSA_REGISTRY_DATABASE_URL": ""}
    log = (tmp_path_factory.getbasetemp() / f"serve-{port}.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "web.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if process.poll() is not None:
                pytest.fail(f"serve stopped with code {process.returncode}: {log.name}")
            try:
                with urllib.request.urlopen(f"{base}/", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("serve did not answer within 10 seconds")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A phone-sized page (360 px wide), in French."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page (WCAG 2.1 A and AA, and best practices)."""
    page.evaluate(axe_source)
    return page.evaluate(  # type: ignore[no-any-return]
        """async () => {
            const result = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )


def check_page(page: Any, axe_source: str, name: str) -> None:
    """Save a screenshot, then require zero axe violations and no sideways scrolling at 360 px."""
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", unicodedata.normalize("NFKD", name)).strip("-")
    page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
    violations = axe_violations(page, axe_source)
    assert violations == [], f"{name}: {violations}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width} px wide at 360 px"


def log_in(page: Any, base: str, login: str, password: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/connexion")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Connecté" in page.content(), page.content()[:2000]


def log_out(page: Any) -> None:
    """Log out through the header's button."""
    page.click("header .who button")
    page.wait_for_load_state()

"""The HTTP benchmark end to end on a tiny store, on SQLite and on PostgreSQL: it serves the
real web app, loads every page with concurrent clients and reports each figure by name.
These are benchmarks, not timed tests: nothing here asserts a speed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from bench import http
from bench.stores import PREFIX
from registry.application import Registry
from registry.cli import main
from registry.config import Settings
from tests.conftest import PG_ADMIN_URL, STORES

PAGES = [
    "healthz",
    "home",
    "directory",
    "directory_search",
    "places",
    "place",
    "history",
    "history_search",
    "proposal",
    "api_places",
]


def own_databases() -> list[str]:
    """The benchmark databases this process has on the test server."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{PREFIX}{os.getpid()}_%"]
        ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture(params=STORES)
def base(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The settings a user would have: a data folder, or a PostgreSQL server's URL."""
    if request.param == "sqlite":
        return Settings(data=tmp_path / "unused", database_url=None)
    return Settings(data=tmp_path / "unused", database_url=PG_ADMIN_URL)


def test_every_page_is_measured_beside_healthz_on_the_configured_store(base: Settings) -> None:
    stored: list[int] = []

    def watch(done: int, total: int) -> None:
        # While the history is written, it is in the run's own PostgreSQL database.
        if base.database_url and not stored:
            (name,) = own_databases()
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            app = Registry(env=Settings(database_url=url).event_store_env())
            try:
                stored.append(app.recorder.max_notification_id() or 0)
            finally:
                app.close()

    report = http.run(50, 2000, watch, base=base, duration=0.5, requests=24)
    assert report.store == ("postgresql" if base.database_url else "sqlite")
    assert [p.name for p in report.pages] == PAGES
    assert report.clients == 8 and report.events >= 1500
    for page in report.pages:
        # Whether the app answers well is the app's tests' business; a 5xx fails the figure.
        assert page.failed == any(status >= 500 for status in page.statuses), page.errors
        assert page.server_error or not page.failed
        assert sum(page.statuses.values()) == page.requests
        assert 0 < page.requests <= 24 and page.per_second > 0
        assert 0 < page.percentile_ms(50) <= page.percentile_ms(99)
        assert page.ratio > 0 and page.baseline == report.pages[0].per_second
    assert report.pages[0].ratio == 1.0
    assert 0 < report.rss_mb <= report.peak_rss_mb
    figures = report.as_dict()
    assert set(figures) == {"store", "places", "events", "clients", "targets", "pages", "server"}
    assert set(figures["pages"][1]) >= {"name", "path", "requests_per_s", "ratio", "p50_ms"}
    if base.database_url:
        assert stored and stored[0] > 0
        assert own_databases() == []  # dropped after the run


class Answers(BaseHTTPRequestHandler):
    """200 on /ok, 500 on anything else."""

    def do_GET(self) -> None:  # noqa: N802  (the standard library's name)
        status = 200 if self.path == "/ok" else 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_a_page_answering_5xx_fails_loudly_and_its_answers_are_counted(port: int) -> None:
    good = http.load(port, http.Page("ok", "/ok"), 4, 5.0, 20)
    bad = http.load(port, http.Page("boom", "/boom"), 4, 5.0, 20)
    assert good.statuses == Counter({200: 20}) and not good.failed and good.non_2xx == 0
    assert bad.statuses == Counter({500: 20}) and bad.failed and bad.non_2xx == 20
    report = http.Report("sqlite", 50, 2000, 4, [good, bad], 1.0, 1.0)
    assert report.failed == [bad]
    line = http.failure_line(report)
    assert "/boom (500 × 20)" in line and "/ok" not in line


def test_a_server_that_stops_answering_fails_the_figure() -> None:
    page = http.load(http._free_port(), http.Page("gone", "/"), 2, 1.0, 10)
    assert page.failed and page.requests == 0 and page.errors


def test_bench_http_prints_one_json_document(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(http, "DURATION", 0.3)
    monkeypatch.setattr(http, "REQUESTS", 16)
    env = {"LANG": "fr_FR.UTF-8", "SSA_REGISTRY_DATA": str(tmp_path / "unused")}
    env["SSA_REGISTRY_DATABASE_URL"] = ""
    args = ["bench", "--http", "--places", "50", "--events", "2000", "--json"]
    result = runner.invoke(main, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert [p["name"] for p in figures["pages"]] == PAGES
    assert figures["store"] == "sqlite" and figures["server"]["rss_mb"] > 0
    assert not (tmp_path / "unused").exists()


def test_a_terminated_http_bench_stops_its_server_and_drops_its_database(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("ssa-registry")
    env = {"LANG": "fr_FR.UTF-8", "SSA_REGISTRY_DATABASE_URL": PG_ADMIN_URL}
    args = [str(script), "bench", "--http", "--places", "50", "--events", "2000"]
    bench = subprocess.Popen(args, cwd=tmp_path, env=env, stderr=subprocess.DEVNULL)
    pattern = f"{PREFIX}{bench.pid}_%"
    try:
        server = None
        deadline = time.monotonic() + 120
        while server is None and time.monotonic() < deadline and bench.poll() is None:
            children = Path(f"/proc/{bench.pid}/task/{bench.pid}/children").read_text().split()
            for pid in children:
                if "serve" in Path(f"/proc/{pid}/cmdline").read_text():
                    server = int(pid)
            time.sleep(0.2)
        assert server is not None, "the benchmark started its server"
        assert databases(pattern), "the benchmark created its database"
        bench.send_signal(signal.SIGTERM)
        assert bench.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()
    assert (
        not Path(f"/proc/{server}").exists()
        or "zombie" in Path(f"/proc/{server}/status").read_text()
    )
    assert databases(pattern) == []


def databases(pattern: str) -> list[str]:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        rows = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [pattern])
        return [r[0] for r in rows.fetchall()]

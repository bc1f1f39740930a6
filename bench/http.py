"""The HTTP benchmark: what users hit, served as `ssa-registry serve` serves it.

`ssa-registry bench --http` writes a synthetic history into a store of its own (SQLite, or a
throw-away PostgreSQL database when SSA_REGISTRY_DATABASE_URL is set), brings the read models
up to date, and serves it with the real `serve` command (waitress, `web.create_app`) in a
child process on a free loopback port. After a warm-up, 8 concurrent clients (threads, each
with its own keep-alive `http.client` connection) load each page in turn for a bounded
number of requests and a bounded time. Each page gets its requests/s, p50 and p99, and its
requests/s ratio to `/healthz` measured on the same server in the same run; the server's
resident memory is read from /proc. Non-2xx answers are counted; a 5xx or a broken
connection makes the page's figure fail.
"""

from __future__ import annotations

import math
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from bench.registry import child_env, generate
from bench.stores import scratch, store_name
from bench.synthetic import check_size
from registry.config import Settings

__all__ = ["Report", "check_size", "failure_line", "print_report", "run"]

Progress = Callable[[int, int], None]
HOST = "127.0.0.1"
CLIENTS = 8
DURATION = 10.0  # seconds of load per page, at most
REQUESTS = 2000  # requests per page, at most
WARM_UP = 2  # requests per page, one after the other, before any is measured
TIMEOUT = 600.0  # seconds one request may take before it counts as broken
START_TIMEOUT = 120.0
TARGET_RATIO = 0.25
TARGET_P99_MS = 100.0
TARGET_RSS_MB = 300.0
SEARCH_WORD = "Signalement"  # in the reason of every synthetic suspension
SERVE = "from web.cli import main; main(prog_name='ssa-registry')"


@dataclass(frozen=True)
class Page:
    """A page to measure: a stable name and the path requested."""

    name: str
    path: str


@dataclass
class PageFigure:
    """What one page answered under load."""

    name: str
    path: str
    seconds: float
    latencies: list[float]
    statuses: Counter[int]
    errors: list[str]
    baseline: float = 0.0  # /healthz's requests/s on the same server
    server_error: str = ""  # the last error the server logged while this page was loaded

    @property
    def requests(self) -> int:
        """Requests answered, whatever their status."""
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        """Answered requests per second of wall time, all clients together."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ratio(self) -> float:
        """Requests/s divided by /healthz's."""
        return self.per_second / self.baseline if self.baseline else 0.0

    @property
    def non_2xx(self) -> int:
        """Answers whose status is not 2xx."""
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)

    @property
    def failed(self) -> bool:
        """A server error, a broken connection, or nothing answered at all."""
        return bool(self.errors) or self.requests == 0 or any(s >= 500 for s in self.statuses)

    def percentile_ms(self, percentile: int) -> float:
        """The latency below which `percentile` % of answers came (nearest rank), in ms."""
        if not self.latencies:
            return 0.0
        if percentile == 50:
            return 1000 * statistics.median(self.latencies)
        ordered = sorted(self.latencies)
        return 1000 * ordered[max(math.ceil(percentile / 100 * len(ordered)) - 1, 0)]

    def meets_targets(self) -> bool:
        """Ratio to /healthz and p99 both within target."""
        return self.ratio >= TARGET_RATIO and self.percentile_ms(99) < TARGET_P99_MS

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "name": self.name,
            "path": self.path,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_s": _significant(self.per_second),
            "ratio": _significant(self.ratio),
            "p50_ms": round(self.percentile_ms(50), 2),
            "p99_ms": round(self.percentile_ms(99), 2),
            "non_2xx": self.non_2xx,
            "statuses": {str(s): n for s, n in sorted(self.statuses.items())},
            "errors": self.errors[:5],
            "server_error": self.server_error,
            "failed": self.failed,
            "meets_targets": self.meets_targets(),
        }


@dataclass
class Report:
    """Every page's figures and the server's memory, for one store."""

    store: str
    places: int
    events: int
    clients: int
    pages: list[PageFigure]
    rss_mb: float
    peak_rss_mb: float

    @property
    def failed(self) -> list[PageFigure]:
        """The pages whose figure failed."""
        return [p for p in self.pages if p.failed]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "store": self.store,
            "places": self.places,
            "events": self.events,
            "clients": self.clients,
            "targets": {
                "ratio_min": TARGET_RATIO,
                "p99_ms_max": TARGET_P99_MS,
                "rss_mb_max": TARGET_RSS_MB,
            },
            "pages": [p.as_dict() for p in self.pages],
            "server": {
                "rss_mb": round(self.rss_mb, 1),
                "peak_rss_mb": round(self.peak_rss_mb, 1),
                "meets_target": self.peak_rss_mb < TARGET_RSS_MB,
            },
        }


def run(
    places: int,
    events: int,
    progress: Progress | None = None,
    base: Settings | None = None,
    duration: float | None = None,
    requests: int | None = None,
    clients: int = CLIENTS,
) -> Report:
    """Write a synthetic store, serve it, and measure every page beside /healthz.

    Each page is loaded for `duration` seconds or `requests` requests at most (defaults:
    DURATION and REQUESTS).
    """
    check_size(places, events)
    duration = DURATION if duration is None else duration
    requests = REQUESTS if requests is None else requests
    from registry.readmodels.runner import rebuild

    with scratch(base or Settings()) as settings:
        written = generate(settings, places, events, progress)
        rebuild(settings, progress)
        pages = pages_of(settings)
        with served(settings) as server:
            for page in pages:
                _warm_up(server.port, page.path)
            figures = []
            for done, page in enumerate(pages):
                # A page that broke the server is followed by pages that fail too, loudly.
                figure = load(server.port, page, clients, duration, requests)
                if figure.failed:
                    figure.server_error = server.last_error()
                figures.append(figure)
                if progress is not None:
                    progress(done + 1, len(pages))
            rss, peak = server.memory_mb()
    for figure in figures:
        figure.baseline = figures[0].per_second
    return Report(store_name(settings), places, written, clients, figures, rss, peak)


def pages_of(settings: Settings) -> list[Page]:
    """The pages measured, with a place, a name and a proposal taken from the read models."""
    from registry.readmodels.queries import views

    with views(settings, up_to_date=False) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM places").fetchone()
        siret, name = db.execute(
            "SELECT siret, name FROM places ORDER BY siret LIMIT 1 OFFSET ?", [count // 2]
        ).fetchone()
        (proposal,) = db.execute(
            "SELECT proposal FROM proposals ORDER BY opened_at DESC LIMIT 1"
        ).fetchone()
    return [
        Page("healthz", "/healthz"),
        Page("home", "/"),
        Page("directory", "/annuaire/"),
        Page("directory_search", f"/annuaire/?q={quote(name)}"),
        Page("places", "/lieux/"),
        Page("place", f"/lieux/{siret}"),
        Page("history", "/historique/"),
        Page("history_search", f"/historique/?q={quote(SEARCH_WORD)}"),
        Page("proposal", f"/propositions/{proposal}"),
        Page("api_places", "/api/places"),
    ]


def load(port: int, page: Page, clients: int, duration: float, requests: int) -> PageFigure:
    """`clients` threads requesting the page until `requests` are sent or `duration` is up."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    sent = 0
    ready = threading.Barrier(clients + 1)
    deadline = 0.0

    def client() -> None:
        nonlocal sent
        connection = HTTPConnection(HOST, port, timeout=TIMEOUT)
        ready.wait()
        try:
            while True:
                with lock:
                    if sent >= requests or time.monotonic() >= deadline:
                        return
                    sent += 1
                start = time.perf_counter()
                try:
                    status = _request(connection, page.path)
                except (OSError, HTTPException) as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    return  # a broken server would otherwise be asked again and again
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + duration
    start = time.perf_counter()
    ready.wait()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return PageFigure(page.name, page.path, seconds, latencies, statuses, errors)


def _request(connection: HTTPConnection, path: str) -> int:
    connection.request("GET", path, headers={"Accept-Language": "fr"})
    response = connection.getresponse()
    response.read()
    if response.will_close:
        connection.close()  # reopened by the next request
    return response.status


def _warm_up(port: int, path: str) -> None:
    """A few requests one after the other; what goes wrong shows in the measured load."""
    for _ in range(WARM_UP):
        try:
            _get(port, path)
        except (OSError, HTTPException):
            return


def _get(port: int, path: str) -> int:
    connection = HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        return _request(connection, path)
    finally:
        connection.close()


@dataclass
class Server:
    """The serving child process."""

    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    def last_error(self) -> str:
        """The last line of the server's output that names an error, if any."""
        self.log.flush()
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").splitlines()
        found = [line.strip() for line in lines if "Error" in line]
        self.log.seek(0, 2)  # the child keeps appending
        return found[-1] if found else ""

    def alive(self) -> bool:
        """Whether the child still runs."""
        return self.process.poll() is None

    def memory_mb(self) -> tuple[float, float]:
        """The child's resident memory now and at its peak, from /proc (0 where unknown)."""
        found = {"VmRSS": 0.0, "VmHWM": 0.0}
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0.0, 0.0
        for line in status.splitlines():
            key, _, value = line.partition(":")
            if key in found:
                found[key] = int(value.split()[0]) / 1024
        return found["VmRSS"], found["VmHWM"]


@contextmanager
def served(settings: Settings, attempts: int = 3) -> Iterator[Server]:
    """`ssa-registry serve` on a free loopback port in a child process, stopped after."""
    with tempfile.TemporaryFile() as log:
        for attempt in range(attempts):
            port = _free_port()
            command = [sys.executable, "-c", SERVE, "serve", "--host", HOST, "--port", str(port)]
            process = subprocess.Popen(
                command,
                env=child_env(settings),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                if _started(process, port):
                    yield Server(process, port, log)
                    return
            finally:
                _stop(process)
            if attempt == attempts - 1:
                raise RuntimeError(f"the server did not start: {_tail(log)}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _started(process: subprocess.Popen[bytes], port: int) -> bool:
    """Wait until the child answers on its port; False if it stopped first (port taken)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            _get(port, "/healthz")
            return True
        except (OSError, HTTPException):
            time.sleep(0.1)
    raise RuntimeError(f"the server gave no answer in {START_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    lines = log.read().decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no output"


def failure_line(report: Report) -> str:
    """One French line naming the pages whose figure failed."""
    parts = []
    for page in report.failed:
        errors = [f"{s} × {n}" for s, n in sorted(page.statuses.items()) if s >= 500]
        errors += page.errors[:1] or ([] if page.requests else ["aucune réponse"])
        errors += [page.server_error] if page.server_error else []
        parts.append(f"{page.path} ({', '.join(errors)})")
    return "mesure HTTP en échec, le serveur a mal répondu : " + " ; ".join(parts)


def print_report(report: Report) -> None:
    """The figures as a table on stdout, each beside its target."""
    places, events = (f"{n:,}".replace(",", " ") for n in (report.places, report.events))
    print(
        f"HTTP, magasin {report.store} : {places} lieux, {events} événements, "
        f"{report.clients} clients simultanés"
    )
    print(
        f"{'page':<18} {'req/s':>9} {'ratio':>7} {'≥ 0.25':<7} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'< 100':<7} {'non-2xx':>8}  chemin"
    )
    for page in report.pages:
        ratio_ok = "" if page.name == "healthz" else _verdict(page.ratio >= TARGET_RATIO)
        p99 = page.percentile_ms(99)
        flag = "  ÉCHEC" if page.failed else ""
        print(
            f"{page.name:<18} {_short(page.per_second):>9} {_short(page.ratio):>7} {ratio_ok:<7} "
            f"{page.percentile_ms(50):>9.1f} {p99:>9.1f} {_verdict(p99 < TARGET_P99_MS):<7} "
            f"{page.non_2xx:>8}  {page.path}{flag}"
        )
    memory = _verdict(report.peak_rss_mb < TARGET_RSS_MB)
    print(
        f"mémoire résidente du serveur : {report.rss_mb:.0f} Mo, au plus haut "
        f"{report.peak_rss_mb:.0f} Mo (objectif < {TARGET_RSS_MB:.0f} Mo : {memory})"
    )


def _significant(value: float) -> float:
    """Four significant digits: a ratio of 0.00005 stays readable."""
    return float(f"{value:.4g}")


def _short(value: float) -> str:
    """A figure for the table: one decimal from 10 up, three significant digits below."""
    return f"{value:.1f}" if value >= 10 else f"{value:#.3g}"


def _verdict(met: bool) -> str:
    return "atteint" if met else "manqué"

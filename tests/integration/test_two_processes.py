"""Two servers and a command on one store, SQLite or PostgreSQL: each event is applied to the
read models once, a race never answers 5xx, and each server reads what was just stored."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from registry.application import Registry
from registry.bootstrap import initialise
from registry.config import Settings
from registry.declaration import Declaration
from registry.readmodels.runner import views_path
from registry.roles import Actor, Role
from tests.conftest import FACILITATOR
from tests.helpers import make_siret, shop

SHOP = Actor("commerce-test", Role.PLACE)
CLI = str(Path(sys.executable).with_name("ssa-registry"))
PLACES = 12


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None


def get_page(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.fixture
def servers(settings: Settings, cli_env: dict[str, str]) -> Iterator[list[str]]:
    """Two `serve` processes started at the same moment on the store, with no views yet."""
    settings.data.mkdir(parents=True, exist_ok=True)
    app = Registry(env=settings.event_store_env())
    try:
        initialise(app, FACILITATOR)
    finally:
        app.close()
    assert not views_path(settings).exists()
    env = {**os.environ, **cli_env, "SSA_REGISTRY_SECRET_KEY": "two-servers"}
    ports = [free_port(), free_port()]
    logs = [settings.data.parent / f"serve-{p}.log" for p in ports]
    files = [log.open("wb") for log in logs]
    procs = [
        subprocess.Popen(  # noqa: S603
            [CLI, "serve", "--port", str(port)], env=env, stdout=file, stderr=subprocess.STDOUT
        )
        for port, file in zip(ports, files, strict=True)
    ]
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        deadline = time.monotonic() + 60
        for url, proc, log in zip(urls, procs, logs, strict=True):
            while True:
                assert proc.poll() is None, log.read_text(errors="replace")
                try:
                    if get(f"{url}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.1)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        for file in files:
            file.close()
    for log in logs:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "IntegrityError" not in text, text
        assert "concurrently" not in text, text


def test_two_servers_and_a_command_share_one_store_without_a_5xx(
    settings: Settings, servers: list[str], cli_env: dict[str, str]
) -> None:
    statuses: list[int] = []
    stop = threading.Event()

    def hammer(url: str) -> None:
        while not stop.is_set():
            for path in ("/api/places", "/lieux/", "/annuaire/", "/", "/readyz"):
                statuses.append(get_page(url + path))

    readers = [threading.Thread(target=hammer, args=(u,)) for u in servers for _ in range(2)]
    for reader in readers:
        reader.start()
    writer = Registry(env=settings.event_store_env())
    command = None
    try:
        for n in range(PLACES):
            if n == PLACES // 2:  # a third process catches the views up at the same time
                command = subprocess.Popen(  # noqa: S603
                    [CLI, "replay", "--json"],
                    env={**os.environ, **cli_env},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            siret = make_siret(9000 + n)
            writer.apply(Declaration.model_validate(shop(siret=siret, name=f"Lieu {n}")), SHOP)
            for url in servers:  # read your writes, whichever process wrote
                status, listed = get(f"{url}/api/places")
                assert status == 200
                assert siret in {p["siret"] for p in listed}
        last = writer.recorder.max_notification_id()
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        writer.close()
    assert command is not None
    out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err.decode()
    assert len(json.loads(out)["places"]) >= PLACES // 2
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
    conn = sqlite3.connect(views_path(settings))
    try:
        tracked = conn.execute(
            "SELECT notification_id FROM tracking WHERE application_name = 'registry'"
        ).fetchone()
        timeline = conn.execute("SELECT COUNT(*), COUNT(DISTINCT seq) FROM timeline").fetchone()
        places = conn.execute("SELECT COUNT(*) FROM places").fetchone()[0]
    finally:
        conn.close()
    assert tracked is not None and tracked[0] == last
    assert timeline[0] == timeline[1] == last  # every event once: one timeline row each
    assert places == PLACES

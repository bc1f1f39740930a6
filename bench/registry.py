"""The registry's benchmark: each figure beside the bare eventsourcing figure of the same run.

`ssa-registry bench` generates a synthetic history, then measures command throughput, the
read models' rebuild, status lookups, the registry as of a date, what-if and peak memory.
Rebuild and bare decoding each run in a child process, so each has its own peak memory.
The history is written to the configured kind of store (PostgreSQL when
SSA_REGISTRY_DATABASE_URL is set, in a database of the run's own), and the bare figures are
measured on that same store.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from uuid import uuid4

from bench.stores import scratch, store_name
from bench.synthetic import check_size, write
from registry.application import Registry
from registry.config import Settings

Progress = Callable[[int, int], None]
SAMPLE = 100
__all__ = ["Figure", "check_size", "generate", "print_table", "run", "store_name"]


@dataclass(frozen=True)
class Figure:
    """One measured figure and the bare eventsourcing figure it is compared with."""

    name: str
    value: float
    unit: str
    baseline: float
    target: str = ""

    @property
    def ratio(self) -> float:
        """The figure divided by its baseline."""
        # Four significant digits: a lookup 2,000 times faster than its baseline is not 0.
        return float(f"{self.value / self.baseline:.4g}") if self.baseline else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: name, value, unit, baseline, ratio."""
        return {
            "name": self.name,
            "value": round(self.value, 3),
            "unit": self.unit,
            "baseline": round(self.baseline, 3),
            "ratio": self.ratio,
        }


def run(
    places: int, events: int, progress: Progress | None = None, base: Settings | None = None
) -> list[Figure]:
    """Generate a history of about `events` events over `places` places, then measure.

    The store is of the kind `base` names (default: the environment's settings), emptied for
    the run and removed after it.
    """
    check_size(places, events)
    with scratch(base or Settings()) as settings:
        total = generate(settings, places, events, progress)
        decoded = _child("decode", settings, total, progress)
        rebuilt = _child("rebuild", settings, total, progress)
        figures = [
            Figure(
                "rebuild_rate",
                total / rebuilt["seconds"],
                "events/s",
                total / decoded["seconds"],
                "≥ 0.5 × bare decoding",
            )
        ]
        figures += _reads(settings)
        figures.insert(0, _commands(settings, places))
        figures.append(
            Figure("peak_memory", rebuilt["peak_mb"], "MB", decoded["peak_mb"], "< 500 MB")
        )
        return figures


def generate(settings: Settings, places: int, events: int, progress: Progress | None) -> int:
    """Write a synthetic history into the (empty) store; the number of events written."""
    app = Registry(env=settings.event_store_env())
    try:
        return write(app, places, events, progress)
    finally:
        app.close()


def _child(kind: str, settings: Settings, total: int, progress: Progress | None) -> dict[str, Any]:
    """Run a measurement in a fresh Python process; its result and peak memory."""
    command = [sys.executable, "-m", "bench.registry", kind]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=child_env(settings))
    watch = threading.Event()
    watcher = threading.Thread(target=_watch, args=(settings, total, progress, watch))
    if progress is not None and kind == "rebuild":
        watcher.start()
    try:
        out, _ = process.communicate()
    except BaseException:  # interrupted: the child goes too, before its store is removed
        process.kill()
        process.wait()
        raise
    finally:
        watch.set()
        if watcher.is_alive():
            watcher.join()  # gone before what-if measures, which splits work only without threads
    if process.returncode != 0:
        raise RuntimeError(f"benchmark step {kind} failed")
    return dict(json.loads(out))


def child_env(settings: Settings) -> dict[str, str]:
    """The environment of a child process on the same store, with this checkout importable."""
    env = dict(os.environ)
    env["SSA_REGISTRY_DATA"] = str(settings.data)
    env.pop("SSA_REGISTRY_DATABASE_URL", None)
    if settings.database_url:
        env["SSA_REGISTRY_DATABASE_URL"] = settings.database_url
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _watch(
    settings: Settings, total: int, progress: Progress | None, stop: threading.Event
) -> None:
    path = settings.data / "views.sqlite3.rebuild"
    while not stop.wait(0.5):
        if not path.exists():
            continue
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT MAX(notification_id) FROM tracking").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        if progress is not None:
            progress(int(row[0] or 0), total)


def _measure_child(kind: str) -> dict[str, Any]:
    settings = Settings()  # the store child_env names
    start = time.perf_counter()
    if kind == "rebuild":
        from registry.readmodels.runner import rebuild

        count = rebuild(settings)
    else:
        app = Registry(env=settings.event_store_env())
        count, position = 0, 1
        while batch := app.recorder.select_notifications(position, 1000):
            for notification in batch:
                app.mapper.to_domain_event(notification)
            count += len(batch)
            position = batch[-1].id + 1
        app.close()
    seconds = time.perf_counter() - start
    return {"events": count, "seconds": seconds, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    """This process's peak resident memory; ru_maxrss would include the parent's at fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _commands(settings: Settings, places: int) -> Figure:
    """Apply commands (validate, evaluate, append) against appending the same events bare.

    The bare append is eventsourcing's own: `Application.save` of the events a command stored,
    copied under a new aggregate id (encoding, recording, notifying; no validation, no
    evaluation, no domain logic). Each command is followed by the bare append of its events,
    so both run against the same store in the same state; the first few of each warm the
    connection and the page cache and are not counted (whichever ran first would otherwise
    pay for both).
    """
    from bench.synthetic import MONTHS, START, siret, templates
    from policies.declaration import parse_declaration
    from registry.roles import Actor, Role

    count = min(max(places // 10, 50), 1000)  # enough that a slow fsync here and there averages out
    warm = 20
    raw = [t.model_dump(mode="json") for t in templates()]
    at = START + timedelta(days=30.4 * MONTHS + 1)
    app = Registry(env=settings.event_store_env())
    commands = bare = 0.0
    try:
        for n in range(warm + count):
            data = {**raw[n % len(raw)], "siret": siret(10_000_000 + n), "name": f"Bench {n}"}
            start = time.perf_counter()
            declaration = parse_declaration(data)
            place = app.apply(declaration, Actor(declaration.siret, Role.PLACE), at)
            done = time.perf_counter()
            new = uuid4()
            events = [
                dataclasses.replace(cast(Any, e), originator_id=new)
                for e in app.repository.event_store.get(place.id)
            ]
            bare_start = time.perf_counter()
            app.save(*events)
            bare_done = time.perf_counter()
            if n >= warm:
                commands += done - start
                bare += bare_done - bare_start
    finally:
        app.close()
    return Figure(
        "command_throughput", count / commands, "commands/s", count / bare, "≥ 0.5 × bare"
    )


def _reads(settings: Settings) -> list[Figure]:
    """Status lookups, the registry as of a date and what-if, against bare aggregates."""
    from bench.synthetic import MONTHS, START
    from policies.engine import evaluate
    from registry.readmodels.queries import replay_as_of, status, views
    from registry.readmodels.whatif import resolve, whatif

    rng = random.Random(7)
    at = START + timedelta(days=30.4 * MONTHS)
    app = Registry(env=settings.event_store_env())
    try:
        with views(settings, up_to_date=False) as db:
            sirets = [r[0] for r in db.execute("SELECT siret FROM places").fetchall()]
            lookups = [_timed(status, db, rng.choice(sirets)) for _ in range(2000)]
            bare_lookups = [_timed(app.place, rng.choice(sirets)) for _ in range(SAMPLE)]
            as_of = _timed(replay_as_of, db, at)
            sample = rng.sample(sirets, min(SAMPLE, len(sirets)))
            bare_as_of = sum(_timed(app.place_at, s, at) for s in sample)
            version = resolve(db, "s01")  # the first, loosest version, at the end of history
            what = _timed(whatif, db, version, at)
            day = at.date()

            def bare_whatif(siret: str) -> None:
                evaluate(app.place(siret).parsed_declaration(), version, day)

            bare_what = sum(_timed(bare_whatif, s) for s in sample)
    finally:
        app.close()
    scale = len(sirets) / len(sample)
    return [
        Figure("status_lookup_p50", _pct(lookups, 50), "ms", _pct(bare_lookups, 50)),
        Figure("status_lookup_p99", _pct(lookups, 99), "ms", _pct(bare_lookups, 99), "< 5 ms"),
        Figure("replay_as_of_all_places", as_of, "s", bare_as_of * scale, "< 2 s"),
        Figure("whatif_all_places", what, "s", bare_what * scale, "< 1 s"),
    ]


def _timed(func: Callable[..., Any], *args: Any) -> float:
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def _pct(seconds: list[float], percentile: int) -> float:
    ordered = sorted(seconds)
    if percentile == 50:
        return 1000 * statistics.median(ordered)
    return 1000 * ordered[min(len(ordered) - 1, round(percentile / 100 * len(ordered)))]


def print_table(figures: list[Figure]) -> None:
    """The figures as a table on stdout."""
    print(f"{'mesure':<26} {'valeur':>14} {'eventsourcing seul':>20} {'ratio':>8}  objectif")
    for f in figures:
        value = f"{f.value:,.2f} {f.unit}"
        base = f"{f.baseline:,.2f} {f.unit}"
        print(f"{f.name:<26} {value:>14} {base:>20} {f.ratio:>8.4g}  {f.target}")


if __name__ == "__main__":
    print(json.dumps(_measure_child(sys.argv[1])))

"""Run `judged` in a process of its own and print what happened, as JSON.

A test process may hold threads left by earlier tests, and a what-if only splits its work in a
process with a single thread; so the split is observed here, in a fresh interpreter.

Usage: python -m tests.integration.whatif_fork_probe VIEWS_FILE split|child_fails|threads|memory
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from datetime import datetime
from typing import Any

import sqlite_utils

from policies.engine import prepare
from registry.clock import PARIS
from registry.readmodels import whatif as whatif_module
from registry.readmodels.queries import places_as_of

DECEMBER = datetime(2024, 12, 1, 12, tzinfo=PARIS)


def main(path: str, mode: str) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    if mode == "memory":
        memory = sqlite3.connect(":memory:")
        conn.backup(memory)
        conn = memory
    db = sqlite_utils.Database(conn)
    version = whatif_module.resolve(db, "2025-1")
    evaluate, on = prepare(version), DECEMBER.date()
    found = places_as_of(db, DECEMBER, version.caisse, evaluations=False)
    places = [r for r in found if r["status"] not in whatif_module.SKIPPED]
    serial = whatif_module.classify(places, evaluate, on)
    first = whatif_module._judge_part(db, DECEMBER, version.caisse, evaluate, on, (0, 2))
    parent = os.getpid()
    classify = whatif_module.classify
    calls: list[int] = []

    def spy(chunk: list[dict[str, Any]], evaluate: Any, day: Any) -> list[Any]:
        if os.getpid() != parent and mode == "child_fails":
            raise RuntimeError("the second process fails")
        calls.append(len(chunk))  # seen by this process only
        return [(f"{c}@{os.getpid()}", e) for c, e in classify(chunk, evaluate, day)]

    whatif_module.classify = spy  # type: ignore[assignment]
    whatif_module.PARALLEL_FROM = 2
    threads_before = threading.active_count()
    release = threading.Event()
    server = threading.Thread(target=release.wait)
    if mode == "threads":
        server.start()
    try:
        changes = whatif_module.judged(db, DECEMBER, version.caisse, evaluate, on)
    finally:
        release.set()
        if server.is_alive():
            server.join()
    return {
        "threads_before": threads_before,
        "places": len(places),
        "first_part": len(first),
        "calls": calls,
        "parent": parent,
        "pids": [int(c.split("@")[1]) for c, _ in changes],
        "same": [(c.split("@")[0], e) for c, e in changes] == serial,
        "losses": sum(1 for c, _ in changes if c.startswith("loss@")),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))

"""Places pages and the places API on a synthetic store, through Flask's test client.

    python bench/bench_pages.py DATA_DIR [--requests N]

DATA_DIR holds a store written by `registry.readmodels.synthetic` (SQLite). Each page is
asked N times after one warm-up request; the median and the 90th percentile are printed, and
the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

PAGES = (
    "/healthz",
    "/",
    "/annuaire/",
    "/annuaire/?q=bio",
    "/lieux/",
    "/lieux/?statut=refuse&page=3",
    "/api/places",
    "/api/places?limit=50",
)


def main() -> None:
    """Measure each page and print one line per page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    from registry.config import Settings
    from web import create_app, store

    settings = Settings(data=args.data, database_url=None)
    app = create_app({"TESTING": True, "REGISTRY_SETTINGS": settings, "SECRET_KEY": "bench"})
    client = app.test_client()
    siret = client.get("/api/places?limit=1").get_json()
    pages = [*PAGES, f"/lieux/{siret[0]['siret']}"] if siret else list(PAGES)
    try:
        for page in pages:
            assert client.get(page).status_code == 200, page
            seconds = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(page)
                seconds.append(time.perf_counter() - start)
                assert response.status_code == 200, page
            p50 = statistics.median(seconds) * 1000
            p90 = statistics.quantiles(seconds, n=10)[-1] * 1000
            print(f"{page:40} p50 {p50:9.1f} ms   p90 {p90:9.1f} ms")
    finally:
        store.close(app)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.0f} MB")


if __name__ == "__main__":
    main()

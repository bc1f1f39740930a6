"""The registry's benchmark: python -m bench.bench_registry [--places N] [--events M] [--http]
[--json].

The same as `ssa-registry bench`; see bench/registry.py (in-process figures) and bench/http.py
(pages over HTTP) for what each figure measures.
"""

from __future__ import annotations

import argparse
import json
import sys

from bench import http
from bench.registry import check_size, print_table, run


def main() -> None:
    """Parse the options, run the benchmark, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--http", action="store_true", help="the pages, served by waitress")
    parser.add_argument("--json", action="store_true", help="a JSON document of figures")
    args = parser.parse_args()
    check_size(args.places, args.events)
    if args.http:
        report = http.run(args.places, args.events)
        if args.json:
            print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            http.print_report(report)
        if report.failed:
            sys.exit(f"Erreur : {http.failure_line(report)}")
        return
    figures = run(args.places, args.events)
    if args.json:
        print(json.dumps([f.as_dict() for f in figures], indent=2))
    else:
        print_table(figures)


if __name__ == "__main__":
    main()

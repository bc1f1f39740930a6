"""Time the criteria on 10,000 varied declarations: python -m bench.bench_policies [--json]."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from stdnum import luhn

from policies.criteria import CriteriaVersion
from policies.declaration import (
    Declaration,
    Label,
    LegalForm,
    PaymentMeans,
    PlaceKind,
    ProductCategory,
    Weekday,
)
from policies.engine import check_version, get_policy, prepare
from policies.seed import SEED_VERSIONS

COUNT = 10_000
TARGET_SECONDS = 1.0
SEED = 20240603
ON = date(2024, 10, 1)
POSTCODES = ["75014"] * 6 + ["75013", "75015", "75006", "92120", "92240", "93100"]
SHOP_KINDS = [k for k in PlaceKind if k is not PlaceKind.PRODUCTEUR]


def siret(n: int) -> str:
    """A valid, deterministic SIRET for the n-th generated place."""
    siren = f"{10_000_000 + n:08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + f"{1 + n % 9:04d}"
    return body + luhn.calc_check_digit(body)


def maybe(rng: random.Random, value: Any, p: float = 0.85) -> Any:
    """The value, or None (undeclared) with probability 1 - p."""
    return value if rng.random() < p else None


def raw_declaration(rng: random.Random, n: int = 0) -> dict[str, Any]:
    """A varied, valid raw declaration: a shop of any kind, or a producer with its farm."""
    producer = rng.random() < 0.2
    raw: dict[str, Any] = {
        "kind": str(PlaceKind.PRODUCTEUR if producer else rng.choice(SHOP_KINDS)),
        "name": f"Lieu n° {n}",
        "siret": siret(n),
        "address": {
            "street": f"{1 + n % 180} rue d'essai",
            "postcode": rng.choice(POSTCODES),
            "city": "Paris",
        },
        "product_categories": rng.sample([str(c) for c in ProductCategory], rng.randint(0, 9)),
        "supply": {
            "peasant_share": maybe(rng, round(rng.uniform(0, 100), 1)),
            "labelled_share": maybe(rng, round(rng.uniform(0, 100), 1), 0.5),
            "labels": rng.sample([str(label) for label in Label], rng.randint(0, 2)),
            "short_chain_share": maybe(rng, round(rng.uniform(0, 100), 1), 0.6),
        },
        "opening_hours": [_slot(rng, day) for day in rng.sample(list(Weekday), rng.randint(0, 7))],
        "accessibility": {
            "step_free": maybe(rng, rng.random() < 0.6),
            "accepts_allocation": maybe(rng, rng.random() < 0.7, 0.7),
        },
        "payment_means": rng.sample([str(p) for p in PaymentMeans], rng.randint(0, 4)),
        "business": {
            "legal_form": maybe(rng, str(rng.choice(list(LegalForm))), 0.9),
            "ess": maybe(rng, rng.random() < 0.3, 0.7),
            "employees": maybe(rng, rng.randint(0, 40)),
        },
        "commitments": {
            "fair_prices_to_producers": maybe(rng, rng.random() < 0.6),
            "multi_year_contracts": maybe(rng, rng.random() < 0.4),
            "living_wage": maybe(rng, rng.random() < 0.5),
            "permanent_contracts_share": maybe(rng, round(rng.uniform(0, 100))),
        },
    }
    if rng.random() < 0.8:
        raw["coordinates"] = {
            "lat": 48.8331 + rng.uniform(-0.04, 0.04),
            "lon": 2.3264 + rng.uniform(-0.06, 0.06),
        }
    if producer:
        raw["farm"] = _farm(rng)
    return raw


def _slot(rng: random.Random, day: Weekday) -> dict[str, str]:
    opens = rng.randint(7, 12)
    closes = rng.randint(max(opens + 1, 13), 22)
    return {
        "day": str(day),
        "opens": f"{opens:02d}:00",
        "closes": f"{closes:02d}:{rng.choice(['00', '30'])}",
    }


def _farm(rng: random.Random) -> dict[str, Any]:
    farm: dict[str, Any] = {
        "area_ha": round(rng.uniform(1, 300), 1),
        "workers": rng.randint(1, 12),
        "labels": rng.sample([str(label) for label in Label], rng.randint(0, 2)),
        "peasant_charter": maybe(rng, rng.random() < 0.5),
        "independent": maybe(rng, rng.random() < 0.7),
    }
    if rng.random() < 0.4:
        farm["distance_km"] = round(rng.uniform(5, 400), 1)
    else:
        farm["location"] = {"lat": rng.uniform(47.0, 50.5), "lon": rng.uniform(0.0, 4.5)}
    return farm


def raw_declarations(count: int = COUNT, seed: int = SEED) -> list[dict[str, Any]]:
    """count varied valid raw declarations, the same for the same seed."""
    rng = random.Random(seed)
    return [raw_declaration(rng, n) for n in range(count)]


def timed(run: Callable[[], object], repeat: int) -> float:
    """The best CPU time of a few runs, in seconds."""
    # CPU time, not wall time: the work is single-threaded with no I/O, and a shared machine's
    # other jobs would otherwise decide the figures.
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def run_policies(declarations: list[Declaration], version: CriteriaVersion) -> None:
    """Only the policies' evaluate functions, parameters parsed once: the engine left out."""
    prepared = [
        (get_policy(s.policy), get_policy(s.policy).parse_params(s.params))
        for s in version.criteria
    ]
    for declaration in declarations:
        for policy, params in prepared:
            policy.run(declaration, params, ON)


def each(func: Callable[[Any], object], items: list[Any]) -> None:
    """Call func on every item, keeping no result."""
    for item in items:
        func(item)


def measure(count: int = COUNT, repeat: int = 1) -> list[dict[str, Any]]:
    """The baseline and the evaluation timings, each with its ratio to the baseline."""
    raws = raw_declarations(count)
    version = check_version(SEED_VERSIONS[0])
    declarations = [Declaration.model_validate(raw) for raw in raws]
    prepared = prepare(version)
    tag = version.version

    # "evaluate" is what the registry does for each application: every criterion's finding,
    # the verdict, and the evaluation in the form its Evaluated event records. Each result is
    # dropped once made, as the registry stores it and moves on: keeping 10,000 of them alive
    # would time Python's garbage collector walking them, not the evaluation.
    def judged(d: Declaration) -> object:
        return prepared.judge(d, ON).recorded()

    rows = [
        ("validate (baseline)", lambda: each(Declaration.model_validate, raws)),
        (
            f"validate + evaluate {tag}",
            lambda: each(lambda r: judged(Declaration.model_validate(r)), raws),
        ),
        (f"evaluate {tag}", lambda: each(judged, declarations)),
        (
            f"evaluate {tag} into models",
            lambda: each(lambda d: prepared.evaluate(d, ON), declarations),
        ),
        (f"policies of {tag} alone", lambda: run_policies(declarations, version)),
    ]
    values = [(name, timed(run, repeat)) for name, run in rows]
    baseline = values[0][1]
    return [
        {
            "name": f"{name}, {count} declarations",
            "value": round(value, 4),
            "unit": "s",
            "baseline": round(baseline, 4),
            "ratio": round(value / baseline, 2),
        }
        for name, value in values
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the figures as text, or as JSON with --json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print a JSON list of figures")
    parser.add_argument("--count", type=int, default=COUNT, help="declarations to generate")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timing; best kept")
    args = parser.parse_args(argv)
    figures = measure(args.count, args.repeat)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for f in figures:
        ratio = f"x{f['ratio']:g} the baseline ({f['baseline']:.3f} s)"
        print(f"{f['name']:<60} {f['value']:7.3f} s CPU   {ratio}")
    alone = figures[2]["value"] * COUNT / args.count
    verdict = "met" if alone < TARGET_SECONDS else "NOT met"
    print(
        f"target: evaluate {COUNT} declarations under {TARGET_SECONDS:g} s: {verdict} "
        f"({alone:.3f} s for {COUNT})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Proximité, version 1. Published: never edit, add a version 2."""

from __future__ import annotations

import sys
from datetime import date
from functools import lru_cache
from typing import Annotated, Literal

import shapely  # type: ignore[import-untyped]
from pydantic import Field, model_validator
from pyproj import Geod

from policies.base import Finding, Outcome, Params, Policy, missing_facts
from policies.declaration import Coordinates, Declaration, PlaceKind

Postcode = Annotated[str, Field(pattern=r"^\d{5}$")]
Lon = Annotated[float, Field(ge=-180, le=180)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Km = Annotated[float, Field(gt=0, le=2000)]


class ProximityParams(Params):
    postcodes: tuple[Postcode, ...] = Field(default=(), max_length=500)
    centre_lat: Lat | None = None
    centre_lon: Lon | None = None
    radius_km: float | None = Field(default=None, gt=0, le=100)
    outline: tuple[tuple[Lon, Lat], ...] = Field(default=(), max_length=2000)
    area_rule: Literal["any", "all"] = "any"
    tiers_km: tuple[Km, ...] = Field(default=(), max_length=5)
    producer_max_km: float = Field(default=250, gt=0, le=2000)
    producer_tiers_km: tuple[Km, ...] = Field(default=(250, 150, 80), min_length=1, max_length=5)

    @model_validator(mode="after")
    def _coherent(self) -> ProximityParams:
        if not (self.postcodes or self.radius_km or self.outline):
            raise ValueError("il faut au moins des codes postaux, un rayon ou un contour")
        if (self.centre_lat is None) != (self.centre_lon is None):
            raise ValueError("le centre demande une latitude et une longitude")
        if (self.radius_km or self.tiers_km) and self.centre_lat is None:
            raise ValueError("un rayon ou des paliers de distance demandent un centre")
        for tiers in (self.tiers_km, self.producer_tiers_km):
            if list(tiers) != sorted(set(tiers), reverse=True):
                raise ValueError(
                    "les paliers doivent décroître strictement (du plus large au plus près)"
                )
        if self.outline and (len(self.outline) < 3 or not _polygon(self.outline).is_valid):
            raise ValueError(
                "le contour doit être un polygone simple de 3 points [lon, lat] ou plus"
            )
        return self


@lru_cache(maxsize=64)
def _polygon(outline: tuple[tuple[float, float], ...]) -> shapely.Polygon:
    polygon = shapely.Polygon(outline)
    shapely.prepare(polygon)
    return polygon


WGS84 = Geod(ellps="WGS84")


def distance_km(lat: float, lon: float, centre_lat: float, centre_lon: float) -> float:
    """Geodesic distance on the WGS 84 ellipsoid (Karney's algorithm, via PROJ), in km."""
    _, _, metres = WGS84.inv(centre_lon, centre_lat, lon, lat)
    return float(metres) / 1000


def evaluate(declaration: Declaration, params: ProximityParams, on: date) -> Finding:
    """Whether the place lies in the caisse's area; for producers, the farm's distance."""
    if declaration.kind is PlaceKind.PRODUCTEUR and declaration.farm is not None:
        return _producer(declaration, params)
    where = declaration.coordinates
    distance = None if where is None else _to_centre(where, params)
    tests: dict[str, bool | None] = {}
    if params.postcodes:
        tests["postcode"] = declaration.address.postcode in params.postcodes
    if params.radius_km is not None:
        tests["radius"] = None if distance is None else distance <= params.radius_km
    if params.outline:
        tests["outline"] = None if where is None else _inside(params.outline, where)
    inside_area = _combine(tests, params.area_rule)
    if inside_area is None:
        return missing_facts("coordinates")
    level = None if distance is None or not params.tiers_km else _level(distance, params.tiers_km)
    return Finding(
        outcome=Outcome.MET if inside_area else Outcome.NOT_MET,
        level=level,
        max_level=len(params.tiers_km) if level is not None else None,
        facts={
            "postcode": declaration.address.postcode,
            "distance_km": None if distance is None else round(distance, 3),
            "tests": tests,
            "area_rule": params.area_rule,
            "postcodes": list(params.postcodes),
            "radius_km": params.radius_km,
            "tiers_km": list(params.tiers_km),
        },
        explanation_fr=_shop_fr(declaration, params, inside_area, distance, level),
        explanation_en=_shop_en(declaration, params, inside_area, distance, level),
    )


def _to_centre(where: Coordinates, params: ProximityParams) -> float | None:
    if params.centre_lat is None or params.centre_lon is None:
        return None
    return distance_km(where.lat, where.lon, params.centre_lat, params.centre_lon)


def _inside(outline: tuple[tuple[float, float], ...], where: Coordinates) -> bool:
    return bool(shapely.contains_xy(_polygon(outline), where.lon, where.lat))


def _combine(tests: dict[str, bool | None], rule: str) -> bool | None:
    """True or False when the known tests settle it under the rule, None when they do not."""
    known = [t for t in tests.values() if t is not None]
    settled = any(known) if rule == "any" else not all(known)
    if settled:
        return rule == "any"
    if len(known) < len(tests):
        return None
    return rule != "any"


def _level(distance: float, tiers: tuple[float, ...]) -> int:
    return sum(1 for t in tiers if distance <= t)


def _shop_fr(
    d: Declaration, p: ProximityParams, inside: bool, distance: float | None, level: int | None
) -> str:
    verdict = "dans la zone de la caisse" if inside else "hors de la zone de la caisse"
    parts = [f"Le lieu (code postal {d.address.postcode}) est {verdict}"]
    if p.postcodes:
        parts.append(f"codes postaux retenus : {', '.join(p.postcodes)}")
    if distance is not None:
        radius = f" (rayon {p.radius_km:g} km)" if p.radius_km else ""
        parts.append(f"il est à {distance:.1f} km du centre{radius}")
    if level is not None:
        parts.append(f"palier {level} sur {len(p.tiers_km)}")
    return " ; ".join(parts) + "."


def _shop_en(
    d: Declaration, p: ProximityParams, inside: bool, distance: float | None, level: int | None
) -> str:
    verdict = "inside the caisse's area" if inside else "outside the caisse's area"
    parts = [f"The place (postcode {d.address.postcode}) is {verdict}"]
    if p.postcodes:
        parts.append(f"postcodes: {', '.join(p.postcodes)}")
    if distance is not None:
        radius = f" (radius {p.radius_km:g} km)" if p.radius_km else ""
        parts.append(f"it is {distance:.1f} km from the centre{radius}")
    if level is not None:
        parts.append(f"tier {level} of {len(p.tiers_km)}")
    return "; ".join(parts) + "."


def _producer(declaration: Declaration, params: ProximityParams) -> Finding:
    farm = declaration.farm
    assert farm is not None
    if farm.distance_km is not None:
        distance, source = farm.distance_km, "declared"
    else:
        computed = None if farm.location is None else _to_centre(farm.location, params)
        if computed is None:
            return missing_facts("farm.distance_km", "farm.location")
        distance, source = computed, "computed"
    met = distance <= params.producer_max_km
    level = _level(distance, params.producer_tiers_km)
    tiers = len(params.producer_tiers_km)
    how_fr = "déclarée" if source == "declared" else "calculée depuis la position de la ferme"
    how_en = "declared" if source == "declared" else "computed from the farm's location"
    within_fr = "dans" if met else "au-delà de"
    within_en = "within" if met else "beyond"
    return Finding(
        outcome=Outcome.MET if met else Outcome.NOT_MET,
        level=level,
        max_level=tiers,
        facts={
            "distance_km": round(distance, 3),
            "distance_source": source,
            "producer_max_km": params.producer_max_km,
            "producer_tiers_km": list(params.producer_tiers_km),
        },
        explanation_fr=f"La ferme est à {distance:.1f} km ({how_fr}), {within_fr} la limite "
        f"de {params.producer_max_km:g} km ; palier {level} sur {tiers}.",
        explanation_en=f"The farm is {distance:.1f} km away ({how_en}), {within_en} the "
        f"{params.producer_max_km:g} km limit; tier {level} of {tiers}.",
    )


POLICY = Policy(
    name="proximity",
    version=1,
    title_fr="Proximité",
    title_en="Proximity",
    doc_fr="Pour un commerce : le lieu est dans la zone de la caisse, selon ses codes postaux, "
    "un rayon autour d'un centre et/ou un contour ; la règle dit si une seule de ces conditions "
    "suffit ou s'il les faut toutes. Les paliers de distance au centre donnent le niveau. Pour "
    "un producteur : la distance de la ferme (déclarée, sinon calculée sur l'ellipsoïde WGS 84 "
    "depuis sa position) ne dépasse pas la limite ; ses paliers donnent le niveau. Le niveau ne "
    "dépend que de la distance : plus près ne le baisse jamais.",
    doc_en="For a shop: the place lies in the caisse's area, by its postcodes, a radius around "
    "a centre and/or an outline; the rule says whether one test suffices or all are needed. "
    "Distance tiers around the centre give the level. For a producer: the farm's distance "
    "(declared, else computed on the WGS 84 ellipsoid from its location) is within the limit; "
    "its tiers give the level. Levels depend on distance alone: nearer never lowers them.",
    param_docs={
        "postcodes": "Codes postaux de la zone, par exemple 75014",
        "centre_lat": "Latitude du centre de la zone (WGS 84)",
        "centre_lon": "Longitude du centre de la zone (WGS 84)",
        "radius_km": "Rayon (km) autour du centre",
        "outline": "Contour de la zone : liste de points [longitude, latitude]",
        "area_rule": "« any » : une condition de zone suffit ; « all » : il les faut toutes",
        "tiers_km": "Paliers de distance au centre (km) qui donnent le niveau d'un commerce, "
        "du plus large au plus proche, par exemple 2.5, 1.5, 0.75",
        "producer_max_km": "Distance maximale (km) entre la ferme d'un producteur et la caisse",
        "producer_tiers_km": "Paliers de distance (km) qui donnent le niveau d'un producteur, "
        "du plus large au plus proche, par exemple 250, 150, 80",
    },
    params_model=ProximityParams,
    evaluate=evaluate,
    module=sys.modules[__name__],
)

"""The first criteria versions of the Paris 14e collective, drawn from the seed's values."""

from __future__ import annotations

from datetime import date
from typing import Any

from policies.criteria import (
    CoverageTier,
    CriteriaVersion,
    CriterionSpec,
    Decision,
    parse_criteria_version,
)

# Paris 14e: mairie annexe, place Ferdinand-Brunot; a radius that covers the arrondissement.
PARIS_14E_AREA: dict[str, Any] = {
    "postcodes": ["75014"],
    "centre_lat": 48.8331,
    "centre_lon": 2.3264,
    "radius_km": 2.5,
    "area_rule": "any",
    "tiers_km": [2.5, 1.5, 0.75],
    # Île-de-France and its neighbouring regions.
    "producer_max_km": 250,
    "producer_tiers_km": [250, 150, 80],
}

# Cadenet covers each product at one of three rates; here by weighted score.
THREE_RATES = (
    CoverageTier(min_score=0.5, rate=60),
    CoverageTier(min_score=0.7, rate=80),
    CoverageTier(min_score=0.85, rate=100),
)


def _criteria(peasant: dict[str, Any], accessibility: dict[str, Any]) -> tuple[CriterionSpec, ...]:
    return (
        CriterionSpec(key="agriculture_paysanne", policy="peasant_agriculture@1", params=peasant),
        CriterionSpec(key="proximite", policy="proximity@1", params=PARIS_14E_AREA),
        CriterionSpec(
            key="commerce_engage",
            policy="engaged_commerce@1",
            params={"require_independent": True, "require_social_economy": False},
            required=False,
            weight=2,
        ),
        CriterionSpec(
            key="alimentation_choisie",
            policy="chosen_food@1",
            params={"min_categories": 4, "tiers": [4, 6, 8], "not_counted": ["hygiene"]},
            required=False,
            weight=2,
        ),
        CriterionSpec(
            key="accessibilite",
            policy="accessibility@1",
            params=accessibility,
            required=False,
            weight=1,
        ),
        CriterionSpec(
            key="remuneration_juste",
            policy="fair_pay@1",
            params={"min_commitments": 2, "min_permanent_share": 50},
            required=False,
            weight=1,
        ),
    )


SEED_VERSIONS: tuple[CriteriaVersion, ...] = (
    CriteriaVersion(
        caisse="paris-14e",
        version="2024-1",
        title="Premières bases du collectif",
        effective_from=date(2024, 9, 1),
        criteria=_criteria(
            peasant={"min_share": 50, "tiers": [50, 70, 90], "max_farm_area_ha": 100},
            accessibility={"evening_hour": "19:00", "min_evenings": 1, "require_evening": False},
        ),
        threshold=0.5,
        coverage=THREE_RATES,
        decision=Decision.AUTOMATIC,
        notes="Valeurs de l'atelier du 3 juin 2024 : soutien aux commerces engagés et aux "
        "producteurs, à l'agriculture paysanne, accès à une alimentation choisie. "
        "L'agriculture paysanne et la proximité sont obligatoires ; les autres critères sont "
        "pondérés. Bases malléables, à revoir avec les nouveaux expérimentateurs.",
    ),
    CriteriaVersion(
        caisse="paris-14e",
        version="2025-1",
        title="Révision de mars 2025 : plus d'agriculture paysanne, ouverture en soirée",
        effective_from=date(2025, 3, 1),
        criteria=_criteria(
            peasant={"min_share": 60, "tiers": [60, 75, 90], "max_farm_area_ha": 100},
            accessibility={"evening_hour": "19:30", "min_evenings": 2, "require_evening": True},
        ),
        threshold=0.5,
        coverage=THREE_RATES,
        decision=Decision.AUTOMATIC,
        notes="Révision après six mois : part paysanne minimale portée de 50 % à 60 %, et "
        "ouverture en soirée exigée, au moins deux jours jusqu'à 19h30, pour les personnes "
        "qui travaillent en journée.",
    ),
)


def first_version(caisse: str = "paris-14e") -> CriteriaVersion:
    """The first seed version for a caisse; the area stays Paris 14e's until it is revised."""
    return parse_criteria_version({**SEED_VERSIONS[0].model_dump(), "caisse": caisse})

"""Demo places of Paris 14e and Île-de-France producers (fictional names, plausible facts)."""

from __future__ import annotations

from typing import Any

from stdnum import luhn


def demo_siret(n: int) -> str:
    """A valid, deterministic SIRET for the n-th demo place."""
    siren = f"{81400000 + n * 7:08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


WEEK = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]

# fmt: off
# name, kind, quartier, street, lat, lon, categories, peasant %, short-chain %, legal form,
# ess, evening closing hour, step-free, accepts allocation, fair-pay commitments (0-3)
SHOPS: list[tuple[Any, ...]] = [
    ("Épicerie Le Panier de Plaisance", "commerce", "Plaisance", "62 rue Raymond-Losserand", 48.8330, 2.3170, 6, 64, 55, "independant", False, 20, True, True, 2),
    ("Coopérative La Fourmilière du 14e", "cooperative", "Plaisance", "14 rue de l'Ouest", 48.8362, 2.3195, 8, 78, 70, "cooperative", True, 21, True, True, 3),
    ("Boulangerie du Château", "commerce", "Plaisance", "31 rue du Château", 48.8351, 2.3205, 4, 85, 80, "independant", False, 20, True, True, 2),
    ("Marché Brune — étal Vergers d'Île-de-France", "marche", "Plaisance", "boulevard Brune", 48.8268, 2.3110, 4, 90, 95, "independant", False, 14, True, True, 1),
    ("Superette Didot Express", "commerce", "Plaisance", "88 rue Didot", 48.8300, 2.3150, 7, 12, 5, "franchise", False, 22, True, True, 0),
    ("AMAP Pernety", "amap", "Plaisance", "rue Pernety", 48.8340, 2.3185, 3, 100, 100, "association", True, 20, False, True, 3),
    ("Fromagerie Losserand", "commerce", "Plaisance", "120 rue Raymond-Losserand", 48.8310, 2.3140, 3, 58, 40, "independant", False, 19, False, True, 1),
    ("Restaurant solidaire Le Couvert", "restaurant", "Plaisance", "5 rue Boyer-Barret", 48.8325, 2.3175, 5, 55, 50, "association", True, 22, True, True, 3),
    ("Épicerie Daguerre Vrac", "commerce", "Montparnasse", "45 rue Daguerre", 48.8340, 2.3270, 7, 70, 45, "independant", False, 20, True, True, 2),
    ("Marché Edgar-Quinet — Les Jardins de Marcoussis", "marche", "Montparnasse", "boulevard Edgar-Quinet", 48.8405, 2.3265, 4, 95, 100, "exploitation_agricole", False, 14, True, True, 2),
    ("Biocoop Gaîté", "commerce", "Montparnasse", "17 rue de la Gaîté", 48.8400, 2.3225, 9, 68, 30, "franchise", False, 20, True, True, 2),
    ("Primeur du Maine", "commerce", "Montparnasse", "130 avenue du Maine", 48.8370, 2.3235, 2, 35, 25, "independant", False, 20, True, False, 1),
    ("Boucherie Gassendi", "commerce", "Montparnasse", "22 rue Gassendi", 48.8350, 2.3265, 4, 60, 60, "independant", False, 19, True, True, 2),
    ("Épicerie sociale et solidaire du 14e", "epicerie_solidaire", "Petit-Montrouge", "8 rue Boulard", 48.8335, 2.3310, 8, 52, 40, "association", True, 19, True, True, 3),
    ("Fromagerie Mouton-Duvernet", "commerce", "Petit-Montrouge", "9 rue Mouton-Duvernet", 48.8330, 2.3285, 4, 72, 50, "independant", False, 19, False, True, 2),
    ("Poissonnerie d'Alésia", "commerce", "Petit-Montrouge", "58 rue d'Alésia", 48.8280, 2.3270, 1, 0, 60, "independant", False, 19, True, True, 1),
    ("Coopérative Les Grains de Montrouge", "cooperative", "Petit-Montrouge", "101 avenue du Général Leclerc", 48.8300, 2.3290, 9, 80, 65, "cooperative", True, 20, True, True, 3),
    ("Carrefour City Leclerc", "commerce", "Petit-Montrouge", "140 avenue du Général Leclerc", 48.8270, 2.3265, 9, 8, 3, "chaine", False, 22, True, True, 0),
    ("Boulangerie Sarrette", "commerce", "Parc-de-Montsouris", "12 rue Sarrette", 48.8245, 2.3330, 4, 88, 75, "independant", False, 20, True, True, 2),
    ("Épicerie de la Tombe-Issoire", "commerce", "Parc-de-Montsouris", "96 rue de la Tombe-Issoire", 48.8270, 2.3345, 6, 48, 35, "independant", False, 20, True, True, 1),
    ("Marché Villemain — La Ferme du Hurepoix", "marche", "Parc-de-Montsouris", "avenue Villemain", 48.8295, 2.3130, 4, 92, 100, "exploitation_agricole", False, 13, True, True, 2),
    ("Cantine de quartier Montsouris", "restaurant", "Parc-de-Montsouris", "3 rue Gazan", 48.8230, 2.3380, 5, 60, 55, "cooperative", True, 22, False, True, 3),
]

# name, farm town, lat, lon, area ha, workers, labels, peasant charter, independent, categories
PRODUCERS: list[tuple[Any, ...]] = [
    ("Ferme des Trois Sources", "Milly-la-Forêt", 48.4040, 2.4690, 12, 3, ["AB"], True, True, ["fruits_legumes", "oeufs"]),
    ("GAEC du Vexin", "Us (Val-d'Oise)", 49.1020, 1.9680, 45, 4, ["Nature & Progrès"], True, True, ["pain_cereales", "legumineuses"]),
    ("Laiterie paysanne de la Brie", "Coulommiers", 48.8150, 3.0840, 60, 5, ["AB"], True, True, ["produits_laitiers"]),
    ("Les Vergers de Montmorency", "Montmorency", 48.9890, 2.3220, 8, 2, ["en conversion"], False, True, ["fruits_legumes"]),
    ("Maraîchage du Hurepoix", "Saint-Chéron", 48.5540, 2.1240, 4, 2, ["AB"], True, True, ["fruits_legumes"]),
    ("EARL des Grandes Plaines", "Provins", 48.5600, 3.2990, 380, 3, [], False, False, ["pain_cereales"]),
    ("Chèvrerie du Perche", "Mortagne-au-Perche", 48.5200, 0.5470, 30, 2, ["Demeter"], True, True, ["produits_laitiers"]),
    ("Volailles de Beauce", "Auneau", 48.4630, 1.7720, 25, 3, ["AB"], True, True, ["viande", "oeufs"]),
    ("Domaine du Val de Loire", "Saumur", 47.2600, -0.0770, 20, 4, ["AB"], True, True, ["boissons"]),
]
# fmt: on


def shop_declaration(n: int, row: tuple[Any, ...]) -> dict[str, Any]:
    """A raw declaration for a shop row."""
    (
        name,
        kind,
        quartier,
        street,
        lat,
        lon,
        ncat,
        peasant,
        short,
        form,
        ess,
        evening,
        step_free,
        allocation,
        fair,
    ) = row
    categories = [
        "fruits_legumes",
        "pain_cereales",
        "produits_laitiers",
        "epicerie_seche",
        "oeufs",
        "legumineuses",
        "boissons",
        "viande",
        "plats_prepares",
    ][:ncat]
    days = WEEK if evening >= 19 else ["mercredi", "samedi"]
    payments = ["especes", "carte"] + (["allocation_ssa"] if allocation else [])
    return {
        "kind": kind,
        "name": name,
        "siret": demo_siret(n),
        "caisse": "paris-14e",
        "address": {"street": street, "postcode": "75014", "city": "Paris"},
        "coordinates": {"lat": lat, "lon": lon},
        "quartier": quartier,
        "product_categories": categories,
        "supply": {
            "peasant_share": peasant,
            "short_chain_share": short,
            "labels": ["AB"] if peasant >= 60 else [],
            "supplier_distances_km": [35, 80, 150] if short >= 50 else [250, 600],
        },
        "opening_hours": [
            {
                "day": d,
                "opens": "08:00" if evening >= 19 else "07:30",
                "closes": f"{evening:02d}:00",
            }
            for d in days
        ],
        "accessibility": {"step_free": step_free, "accepts_allocation": allocation},
        "payment_means": payments,
        "business": {"legal_form": form, "ess": ess, "employees": 2 + n % 6},
        "commitments": {
            "fair_prices_to_producers": fair >= 1,
            "multi_year_contracts": fair >= 2,
            "living_wage": fair >= 3,
            "permanent_contracts_share": 40 + 20 * min(fair, 3),
        },
        "contact_email": f"contact{n}@exemple.fr",
    }


def producer_declaration(n: int, row: tuple[Any, ...]) -> dict[str, Any]:
    """A raw declaration for a producer row; it sells at a 14e market or pick-up point."""
    name, town, lat, lon, area, workers, labels, charter, independent, categories = row
    return {
        "kind": "producteur",
        "name": f"{name} ({town})",
        "siret": demo_siret(n),
        "caisse": "paris-14e",
        "address": {
            "street": "point de retrait, place de la Catalogne",
            "postcode": "75014",
            "city": "Paris",
        },
        "coordinates": {"lat": 48.8375, "lon": 2.3180},
        "quartier": "Plaisance",
        "product_categories": categories,
        "supply": {"peasant_share": 100, "short_chain_share": 100, "labels": labels},
        "opening_hours": [{"day": "samedi", "opens": "09:00", "closes": "13:00"}],
        "accessibility": {"step_free": True, "accepts_allocation": True},
        "payment_means": ["especes", "cheque", "allocation_ssa"],
        "business": {"legal_form": "exploitation_agricole", "ess": False, "employees": workers},
        "commitments": {
            "fair_prices_to_producers": True,
            "multi_year_contracts": charter,
            "living_wage": independent,
            "permanent_contracts_share": 100 if independent else 30,
        },
        "farm": {
            "area_ha": area,
            "workers": workers,
            "labels": labels,
            "peasant_charter": charter,
            "independent": independent,
            "location": {"lat": lat, "lon": lon},
        },
    }


def all_declarations() -> list[dict[str, Any]]:
    """Every demo declaration, shops first."""
    shops = [shop_declaration(i + 1, row) for i, row in enumerate(SHOPS)]
    offset = len(SHOPS) + 1
    producers = [producer_declaration(offset + i, row) for i, row in enumerate(PRODUCERS)]
    return shops + producers

"""A declaration as the registry reads it: the policies' model, and loading one from a file."""

from __future__ import annotations

import json
from pathlib import Path

from policies.declaration import (
    MARGIN_KEY,
    Accessibility,
    Address,
    Business,
    Commitments,
    Coordinates,
    Declaration,
    Farm,
    Frozen,
    Label,
    LegalForm,
    OpeningSlot,
    PaymentMeans,
    Percent,
    PlaceKind,
    ProductCategory,
    Supply,
    Weekday,
    describe_errors,
    field_description,
    field_label,
    find_margin_field,
    french_error,
    normalise_siret,
    parse_declaration,
)
from registry.errors import RegistryError

# The model lives with the policies that evaluate it (policies.declaration); these names stay
# importable from here for the registry, the web and people's scripts.
__all__ = [
    "MARGIN_KEY",
    "Accessibility",
    "Address",
    "Business",
    "Commitments",
    "Coordinates",
    "Declaration",
    "Farm",
    "Frozen",
    "Label",
    "LegalForm",
    "OpeningSlot",
    "PaymentMeans",
    "Percent",
    "PlaceKind",
    "ProductCategory",
    "Supply",
    "Weekday",
    "describe_errors",
    "field_description",
    "field_label",
    "find_margin_field",
    "french_error",
    "load_declaration_file",
    "normalise_siret",
    "parse_declaration",
]


def load_declaration_file(path: str | Path) -> Declaration:
    """Read and validate a declaration JSON file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError("file_not_found", path=str(file)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError("invalid_json", path=str(file), details=str(exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryError(
            "invalid_json", path=str(file), details=f"ligne {exc.lineno}, colonne {exc.colno}"
        ) from None
    return parse_declaration(data)

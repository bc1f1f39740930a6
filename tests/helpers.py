"""Builders shared by tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from stdnum import luhn

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "declarations"


def make_siret(n: int) -> str:
    """A valid SIRET derived from n."""
    siren = f"{52000000 + n:08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def shop(**changes: Any) -> dict[str, Any]:
    """The example shop declaration, with changes applied."""
    data = json.loads((EXAMPLES / "epicerie.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data.update(changes)
    return data


def producer(**changes: Any) -> dict[str, Any]:
    """The example producer declaration, with changes applied."""
    data = json.loads((EXAMPLES / "producteur.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def write_json(path: Path, data: Any) -> Path:
    """Write data as JSON and return the path."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path

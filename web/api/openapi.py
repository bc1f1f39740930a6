"""The OpenAPI 3.1 document, generated from the routes and their pydantic models."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from web.api.base import ROUTES, Route, bp
from web.api.models import ErrorOut

REF = "#/components/schemas/{model}"
ERRORS = {
    "400": "Demande refusée (rien n'est enregistré)",
    "401": "Jeton manquant ou invalide",
    "403": "Rôle insuffisant, ou autre caisse que celle du compte du jeton",
    "404": "Introuvable",
}


def _schema(model: type[BaseModel], components: dict[str, Any], mode: str) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault(model.__name__, schema)
    return {"$ref": REF.format(model=model.__name__)}


def _operation(route: Route, components: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": route.summary,
        "operationId": f"{route.method.lower()}_{route.path.strip('/').replace('/', '_')}".replace(
            "{", ""
        )
        .replace("}", "")
        .replace("-", "_"),
        "tags": [route.tag] if route.tag else [],
        "parameters": [],
        "responses": {},
    }
    for name in _path_params(route.path):
        operation["parameters"].append(
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        )
    for name, description in route.query.items():
        operation["parameters"].append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": {"type": "string"},
            }
        )
    if route.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": _schema(route.body, components, "validation")}
            },
        }
    content: dict[str, Any] = {}
    if route.response is not None:
        schema = _schema(route.response, components, "serialization")
        if route.many:
            schema = {"type": "array", "items": schema}
        content = {"application/json": {"schema": schema}}
    operation["responses"][str(route.status)] = {"description": "Succès", "content": content}
    error = {"application/json": {"schema": _schema(ErrorOut, components, "serialization")}}
    codes = ["400", "404"] + (["401", "403"] if route.roles else [])
    for code in codes:
        operation["responses"][code] = {"description": ERRORS[code], "content": error}
    if route.roles:
        operation["security"] = [{"bearer": []}]
        operation["description"] = "Rôles : " + ", ".join(str(r) for r in route.roles)
    return operation


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    components: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for route in ROUTES:
        paths.setdefault(f"/api{route.path}", {})[route.method.lower()] = _operation(
            route, components
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Registre de conventionnement — API",
            "version": "1",
            "description": "Les mêmes actions que l'interface web. Les erreurs sont du JSON "
            "avec un code stable et un message. Écrire demande un jeton (page « Mon compte ») "
            "et agit dans la caisse de son compte ; les lectures prennent ?caisse=.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI document of this API."""
    return jsonify(document())

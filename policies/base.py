"""What a policy is: a pure, versioned function from a declaration to a criterion result."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from types import ModuleType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from policies.declaration import Declaration, field_label

PACKAGE = __name__.partition(".")[0]


class Outcome(StrEnum):
    """A criterion's verdict."""

    MET = "met"
    NOT_MET = "not_met"
    TO_COLLECTIVE = "to_collective"


OUTCOME_LABELS: dict[Outcome, tuple[str, str]] = {
    Outcome.MET: ("rempli", "met"),
    Outcome.NOT_MET: ("non rempli", "not met"),
    Outcome.TO_COLLECTIVE: ("à examiner par le collectif", "to be decided by the collective"),
}


class Params(BaseModel):
    """Base for a policy's parameters: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(BaseModel):
    """What a policy found for one declaration, before it is tied to a criterion key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: Outcome
    level: int | None = Field(default=None, description="Graded level, 0 = lowest")
    max_level: int | None = Field(default=None, description="Highest level this policy grades")
    facts: dict[str, Any] = Field(default_factory=dict, description="Declared facts used")
    missing: tuple[str, ...] = Field(default=(), description="Facts needed but not declared")
    explanation_fr: str
    explanation_en: str


def missing_facts(*names: str) -> Finding:
    """A 'to the collective' finding that names the facts the declaration lacks."""
    listed = ", ".join(names)
    labels = " ; ".join(field_label(name) for name in names)
    return Finding(
        outcome=Outcome.TO_COLLECTIVE,
        missing=names,
        explanation_fr=f"Information manquante dans la déclaration : {labels}. "
        "Le collectif examinera ce critère.",
        explanation_en=f"Missing from the declaration: {listed}. "
        "The collective will examine this criterion.",
    )


Evaluate = Callable[[Declaration, Any, date], Finding]


@dataclass(frozen=True)
class Policy:
    """A published policy version: its documentation, parameters and pure evaluate function."""

    name: str
    version: int
    title_fr: str
    title_en: str
    doc_fr: str
    doc_en: str
    params_model: type[Params]
    evaluate: Evaluate
    module: ModuleType
    param_docs: Mapping[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The policy's reference, 'name@version'."""
        return f"{self.name}@{self.version}"

    @property
    def fingerprint(self) -> str:
        """SHA-256 of its source and of the policies modules it imports: never to change."""
        return fingerprint_module(self.module)

    def parse_params(self, raw: Mapping[str, Any]) -> Params:
        """Validated parameters (defaults filled in)."""
        return self.params_model.model_validate(dict(raw))

    def run(self, declaration: Declaration, params: Params, on: date) -> Finding:
        """Evaluate one declaration."""
        return self.evaluate(declaration, params, on)


@cache
def fingerprint_module(module: ModuleType) -> str:
    """SHA-256 of a module's source and of every policies module it imports, directly or not.

    A policy's result depends on the declaration model it reads and on the helpers it calls as
    much as on its own code, so the fingerprint covers them all. Each source is read once per
    process, so the fingerprint is that of the code that is running, not of a file edited since.
    """
    digest = hashlib.sha256(module_source(module).encode("utf-8"))
    for name in sorted(imported_policies_modules(module)):
        dependency = module_source(importlib.import_module(name))
        digest.update(f"\0{name}\0{dependency}".encode())
    return "sha256:" + digest.hexdigest()


@cache
def module_source(module: ModuleType) -> str:
    """A module's source with normalised line endings, read once per process."""
    return inspect.getsource(module).replace("\r\n", "\n")


def imported_policies_modules(module: ModuleType) -> frozenset[str]:
    """The names of the policies modules a module imports, directly or through one another."""
    found: set[str] = set()
    pending = [module]
    while pending:
        for name in _policies_imports(pending.pop()):
            if name not in found and name != module.__name__:
                found.add(name)
                pending.append(importlib.import_module(name))
    return frozenset(found)


def _policies_imports(module: ModuleType) -> set[str]:
    """The policies modules named by a module's import statements."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(module_source(module))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            # `from policies import base` names a module too.
            imported = vars(importlib.import_module(node.module))
            names.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if isinstance(imported.get(alias.name), ModuleType)
            )
    return {name for name in names if name.startswith(f"{PACKAGE}.")}

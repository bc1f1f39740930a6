"""What a policy is: a pure, versioned function from a declaration to a criterion result."""

from __future__ import annotations

import hashlib
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
        """SHA-256 of the policy module's source, which must never change once published."""
        return fingerprint_module(self.module)

    def parse_params(self, raw: Mapping[str, Any]) -> Params:
        """Validated parameters (defaults filled in)."""
        return self.params_model.model_validate(dict(raw))

    def run(self, declaration: Declaration, params: Params, on: date) -> Finding:
        """Evaluate one declaration."""
        return self.evaluate(declaration, params, on)


@cache
def fingerprint_module(module: ModuleType) -> str:
    """SHA-256 of a module's source with normalised line endings, read once per process.

    Read once, so the fingerprint is that of the code that is running, not of a file edited since.
    """
    source = inspect.getsource(module).replace("\r\n", "\n")
    return "sha256:" + hashlib.sha256(source.encode("utf-8")).hexdigest()

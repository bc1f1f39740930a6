"""API routes for the charter: the version in force, and proposing a change to it."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from registry.governance.charter import CharterTerms, Kind
from registry.governance.proposals import State
from registry.governance.views import charter_view
from web import charter_form, store
from web.access import actor
from web.api.base import (
    ApiError,
    acting_caisse,
    body_json,
    check_caisse,
    endpoint,
    message,
    parse,
    read_slug,
)
from web.api.governance import CAISSE_QUERY, PROPOSERS, _detail, _mode
from web.api.models import CharterOut, CharterProposalIn, ProposalDetailOut
from web.proposals import summaries


def _path(name: str) -> str:
    """A charter form field as the path of the JSON body's `charter` field."""
    kind, _, rule_field = name.partition(".")
    if rule_field:
        return f"charter.rules.{kind}.{'modes' if rule_field == 'default_mode' else rule_field}"
    return {"charter_title": "charter.title", "notes": "charter.notes"}.get(name, "charter")


def check_charter(terms: CharterTerms, base: CharterTerms) -> None:
    """Refuse what the charter form refuses beyond the model (a poll for a kind other than a
    question, a qualified majority at half or below, ...), by running the form's own checks."""
    form: MultiDict[str, str] = MultiDict()
    for name, value in charter_form.initial_values(terms).items():
        for item in value if isinstance(value, list) else [value]:
            form.add(name, "" if item is None else str(item))
    errors = charter_form.read(form, base).errors
    if errors:
        fields = {_path(name): text for name, text in errors.items()}
        summary = " ; ".join(f"{k} : {v}" for k, v in fields.items())
        raise ApiError(400, "invalid_charter", summary, fields)


def unchanged(before: CharterTerms, after: CharterTerms) -> bool:
    """Whether a charter says the same as another, rule by rule."""
    return before == after or not charter_form.changes(before, after)


@endpoint(
    "GET",
    "/charter",
    "La charte en vigueur, ses versions adoptées et les modifications ouvertes au vote",
    CharterOut,
    query=CAISSE_QUERY,
    tag="charte",
)
def charter() -> Any:
    """The charter in force: who decides which kind of question, in which mode."""
    slug = read_slug()
    found = store.registry().charter(slug)
    pending = [
        v for v in summaries(slug) if v["kind"] == Kind.CHARTER.value and v["status"] == State.OPEN
    ]
    return {**charter_view(found), "terms": found.current(), "pending": pending}


@endpoint(
    "POST",
    "/proposals/charter",
    "Proposer une modification de la charte",
    ProposalDetailOut,
    body=CharterProposalIn,
    roles=PROPOSERS,
    status=201,
    tag="gouvernance",
)
def propose_charter() -> Any:
    """Open a charter change in a mode the charter in force permits for it."""
    data = parse(CharterProposalIn, body_json(), by_field={"charter": "invalid_charter"})
    registry = store.registry()
    if data.caisse is None:
        slug = str(acting_caisse().slug)
    else:
        slug = str(check_caisse(registry.caisse(data.caisse).slug).slug)
    base = registry.charter_in_force(slug)
    check_charter(data.charter, base)
    if unchanged(base, data.charter):
        raise ApiError(400, "charter_unchanged", message("charter_unchanged"))
    proposal = registry.open_proposal(
        slug,
        Kind.CHARTER,
        data.title,
        data.text,
        {"charter": data.charter.model_dump(mode="json")},
        actor(),
        _mode(data.mode),
    )
    return _detail(str(proposal.id))

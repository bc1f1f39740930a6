"""API route for amending an open proposal: its author or a facilitator records a note and
what changes; votes already cast stay, marked as cast before the amendment."""

from __future__ import annotations

from typing import Any

from policies.criteria import parse_criteria_version
from policies.engine import check_version
from registry.errors import RegistryError
from registry.governance.charter import Kind, parse_charter
from registry.governance.proposals import Proposal
from web import store
from web.access import actor
from web.amending import may_amend
from web.api.base import ApiError, body_json, check_caisse, endpoint, message, parse
from web.api.charter import check_charter, unchanged
from web.api.governance import PROPOSERS, _detail
from web.api.models import AmendmentIn, ProposalDetailOut
from web.i18n import lang
from web.proposals import proposal_or_404


@endpoint(
    "POST",
    "/proposals/{proposal_id}/amendments",
    "Amender une proposition ouverte (son auteur ou un animateur) ; le mode reste",
    ProposalDetailOut,
    body=AmendmentIn,
    roles=PROPOSERS,
    tag="gouvernance",
)
def amend(proposal_id: str) -> Any:
    """Record an amendment: a note, a new title or text, new contents."""
    proposal = proposal_or_404(proposal_id)
    check_caisse(proposal.caisse)
    if not may_amend(proposal):
        refusal = RegistryError("not_author", actor=actor().id, proposer=proposal.proposer)
        raise ApiError(403, "not_author", refusal.message(lang()))
    proposal.check_open(None)
    data = parse(
        AmendmentIn,
        body_json(),
        by_field={"charter": "invalid_charter", "version": "invalid_criteria"},
    )
    store.registry().amend_proposal(
        proposal.id, data.note, actor(), data.title, data.text, _payload(proposal, data)
    )
    return _detail(proposal_id)


def _amendable(proposal: Proposal) -> str | None:
    """The field of the body that may change the proposal's contents."""
    if proposal.kind is Kind.CRITERIA:
        return "version"
    if proposal.kind is Kind.CHARTER:
        return "charter"
    return "options" if proposal.payload.get("options") else None


def _payload(proposal: Proposal, data: AmendmentIn) -> dict[str, Any] | None:
    """The amended contents, or None when they stay as they are."""
    allowed = _amendable(proposal)
    for name in ("version", "charter", "options"):
        if getattr(data, name) is not None and name != allowed:
            kind = str(proposal.kind)
            raise ApiError(400, "not_amendable", message("not_amendable", field=name, kind=kind))
    if data.version is not None:
        current = parse_criteria_version(proposal.payload["version"])
        if check_version(data.version) == check_version(current):
            return None
        return {"version": data.version.model_dump(mode="json")}
    if data.charter is not None:
        base = parse_charter(proposal.payload["charter"])
        check_charter(data.charter, base)
        return (
            None
            if unchanged(base, data.charter)
            else {"charter": data.charter.model_dump(mode="json")}
        )
    if data.options is not None:
        options = [o for o in dict.fromkeys(o.strip() for o in data.options) if o]
        current_options = [str(o) for o in proposal.payload["options"]]
        dropped = [o for o in current_options if o not in options]
        if dropped:
            raise RegistryError("options_removed", options=", ".join(dropped))
        if options != current_options:
            return {**proposal.payload, "options": options}
    return None

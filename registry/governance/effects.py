"""What an adopted proposal changes: a criteria version, a place's status, the charter."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from policies.criteria import CriteriaVersion, parse_criteria_version
from policies.engine import check_version
from registry.clock import local_date, now
from registry.domain.places import ACTION_LABELS, STATUS_LABELS
from registry.errors import RegistryError
from registry.governance.charter import Charter, CharterTerms, Kind, parse_charter
from registry.governance.proposals import Proposal
from registry.roles import Actor

if TYPE_CHECKING:
    from registry.application import Registry

PLACE_ACTIONS = ("approve", "refuse", "suspend", "withdraw_approval", "renew")


def decision_ref(proposal: Proposal) -> str:
    """How the other aggregates' events cite the proposal."""
    return f"proposition {proposal.id}"


def proposed_version(proposal: Proposal) -> CriteriaVersion:
    """The criteria version a revision proposes."""
    return parse_criteria_version(proposal.payload["version"])


def proposed_charter(proposal: Proposal) -> CharterTerms:
    """The charter a charter change proposes."""
    return parse_charter(proposal.payload["charter"])


def check_place_decision(app: Registry, caisse: str, siret: str, action: str, reason: str) -> None:
    """Refuse a decision on a place that its current status does not allow."""
    if action not in PLACE_ACTIONS:
        raise RegistryError("unknown_action", action=action, known=", ".join(PLACE_ACTIONS))
    if not reason.strip():
        raise RegistryError("reason_required", action=ACTION_LABELS[action][0])
    place = app.place(siret)
    if place.caisse != caisse:
        raise RegistryError("caisse_mismatch", current=place.caisse, declared=caisse)
    place.check(action)


def check_criteria_revision(
    app: Registry, caisse: str, version: CriteriaVersion
) -> CriteriaVersion:
    """Refuse a revision that could not be published; return it with its fingerprints."""
    checked = check_version(version)
    if checked.caisse != caisse:
        raise RegistryError(
            "invalid_criteria", details=f"la version est pour la caisse {checked.caisse}"
        )
    if checked.version in app.criteria_set(caisse).published_on:
        raise RegistryError("criteria_version_exists", version=checked.version)
    return checked


def check_effect(app: Registry, proposal: Proposal) -> None:
    """Refuse to close as adopted a proposal whose effect could not be applied."""
    if proposal.kind is Kind.CRITERIA:
        check_criteria_revision(app, proposal.caisse, proposed_version(proposal))
    elif proposal.kind is Kind.PLACE:
        p = proposal.payload
        check_place_decision(app, proposal.caisse, p["siret"], p["action"], p["reason"])
    elif proposal.kind is Kind.CHARTER:
        proposed_charter(proposal)


def apply_effect(
    app: Registry, proposal: Proposal, charter: Charter, by: Actor, at: datetime | None
) -> tuple[dict[str, Any], list[Any]]:
    """Apply an adopted proposal's effect in memory: what it changed, and the aggregates it
    changed (a criteria set, places), for the caller to save together with the proposal; the
    charter is changed in place and saved by the caller."""
    ref = decision_ref(proposal)
    if proposal.kind is Kind.CRITERIA:
        version = proposed_version(proposal)
        criteria, places = app.published(version, ref, by, at)
        changed = [p.siret for p in places]
        in_force = version.effective_from <= local_date(at or now())
        return {
            "kind": str(proposal.kind),
            "published_version": version.version,
            "effective_from": version.effective_from.isoformat(),
            "transition_days": version.transition_days,
            "reevaluated": changed,
            "summary_fr": f"Version de critères {version.version} publiée, en vigueur le "
            f"{version.effective_from.isoformat()} ; "
            + (
                f"{len(changed)} lieu(x) réévalué(s) aussitôt."
                if in_force
                else "les lieux seront réévalués à son entrée en vigueur."
            ),
            "summary_en": f"Criteria version {version.version} published, effective "
            f"{version.effective_from.isoformat()}; "
            + (
                f"{len(changed)} place(s) re-evaluated at once."
                if in_force
                else "places will be re-evaluated when it comes into force."
            ),
        }, [criteria, *places]
    if proposal.kind is Kind.PLACE:
        p = proposal.payload
        place = app.decided(p["siret"], p["action"], p["reason"], ref, by, at)
        status_fr, status_en = STATUS_LABELS[place.status]
        action_fr, action_en = ACTION_LABELS[p["action"]]
        return {
            "kind": str(proposal.kind),
            "siret": place.siret,
            "action": p["action"],
            "status": str(place.status),
            "summary_fr": f"{place.name} : {action_fr} — statut « {status_fr} ».",
            "summary_en": f"{place.name}: {action_en} — status '{status_en}'.",
        }, [place]
    if proposal.kind is Kind.CHARTER:
        terms = proposed_charter(proposal)
        charter.adopt(terms, str(proposal.id), by, at)
        return {
            "kind": str(proposal.kind),
            "charter_version": charter.number,
            "summary_fr": f"Charte version {charter.number} adoptée : « {terms.title} ».",
            "summary_en": f"Charter version {charter.number} adopted: '{terms.title}'.",
        }, [charter]
    return {}, []

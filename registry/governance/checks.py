"""What a proposal's contents, ballots and meeting tallies must look like."""

from __future__ import annotations

from typing import Any

from registry.errors import RegistryError
from registry.governance.charter import Kind
from registry.governance.rules import Mode


def check_payload(kind: Kind, mode: Mode, payload: dict[str, Any]) -> None:
    """Refuse a payload that does not fit the kind and mode."""
    options = payload.get("options", [])
    if mode is Mode.POLL:
        if kind is not Kind.QUESTION:
            raise RegistryError("poll_only_for_questions")
        names = [str(o).strip() for o in options]
        if len(names) < 2 or len(set(names)) != len(names) or not all(names):
            raise RegistryError("poll_needs_options")
    elif options:
        raise RegistryError("options_need_poll")
    if kind is Kind.CRITERIA and "version" not in payload:
        raise RegistryError("invalid_criteria", details="la proposition ne contient pas de version")
    if kind is Kind.PLACE and not {"siret", "action", "reason"} <= set(payload):
        raise RegistryError("invalid_place_decision")
    if kind is Kind.CHARTER and "charter" not in payload:
        raise RegistryError("invalid_charter", details="la proposition ne contient pas de charte")


def check_options(chosen: tuple[str, ...], options: list[str], ballot: str) -> None:
    """Refuse a poll ballot naming unknown options, repeating one, or ranking in a single poll."""
    unknown = [o for o in chosen if o not in options]
    if unknown or not chosen:
        raise RegistryError(
            "unknown_option", option=", ".join(unknown) or "—", known=", ".join(options)
        )
    if len(set(chosen)) != len(chosen):
        raise RegistryError("option_repeated")
    if ballot == "single" and len(chosen) != 1:
        raise RegistryError("single_choice_only")


def check_meeting(
    mode: Mode, ballot: str, present: int, tally: dict[str, Any], options: list[str]
) -> None:
    """Refuse a meeting tally that does not fit the mode or counts more votes than people."""
    allowed = {
        Mode.CONSENSUS: {"for", "abstain", "blocks"},
        Mode.CONSENT: {"for", "abstain", "objections"},
        Mode.MAJORITY: {"for", "against", "abstain"},
        Mode.POLL: {"abstain", "options"},
    }[mode]
    extra = sorted(k for k, v in tally.items() if v and k not in allowed)
    if extra:
        raise RegistryError("meeting_tally_invalid", details=f"{', '.join(extra)} ({mode})")
    if mode is Mode.POLL and ballot == "ranked":
        raise RegistryError(
            "meeting_tally_invalid", details="un vote classé ne se compte pas à main levée"
        )
    unknown = sorted(set(tally.get("options", {})) - set(options))
    if unknown:
        raise RegistryError("unknown_option", option=", ".join(unknown), known=", ".join(options))
    counts = [int(tally.get(k, 0)) for k in ("for", "against", "abstain")]
    counts += [int(n) for n in tally.get("options", {}).values()]
    votes = sum(counts) + len(tally.get("blocks", [])) + len(tally.get("objections", []))
    if present < 1 or votes > present or any(n < 0 for n in counts):
        raise RegistryError(
            "meeting_tally_invalid", details=f"{votes} voix pour {present} présent(e)s"
        )
    if any(not str(r).strip() for r in [*tally.get("blocks", []), *tally.get("objections", [])]):
        raise RegistryError("reason_required", action="blocage ou objection")

"""Governance verbs of the registry application: members, charter, proposals, votes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from policies.criteria import CriteriaVersion, parse_criteria_version
from registry.clock import local_date, now
from registry.domain.places import ACTION_LABELS
from registry.errors import RegistryError
from registry.governance import effects
from registry.governance.charter import Charter, CharterTerms, Kind, default_charter, parse_charter
from registry.governance.ids import charter_id, member_id
from registry.governance.impact import impact
from registry.governance.members import Member
from registry.governance.proposals import Proposal, State
from registry.governance.rules import Ballot, Choice, Mode, Outcome, Result
from registry.roles import Actor, Role
from registry.services.rights import check_actor, check_caisse, check_facilitator

if TYPE_CHECKING:
    from registry.application import Registry


class Governance:
    """Mixin for the Registry application: who decides, how, and every vote an event."""

    @property
    def _app(self) -> Registry:
        return cast("Registry", self)

    # Members ----------------------------------------------------------------

    def join_member(
        self,
        caisse: str,
        pseudonym: str,
        roles: Sequence[Role],
        wave: int,
        by: Actor,
        at: datetime | None = None,
    ) -> Member:
        """A new member in a wave, known by a pseudonym only."""
        app = self._app
        app.caisse(caisse)
        check_facilitator(app, caisse, by, "inscrire un membre")
        if self._stored(member_id(caisse, pseudonym)):
            raise RegistryError("member_exists", pseudonym=pseudonym.strip())
        member = Member.join(caisse, pseudonym, list(roles), wave, by, at)
        self._save(member)
        return member

    def set_roles(
        self,
        caisse: str,
        pseudonym: str,
        roles: Sequence[Role],
        reason: str,
        by: Actor,
        at: datetime | None = None,
    ) -> Member:
        """Change a member's roles."""
        check_facilitator(self._app, caisse, by, "changer les rôles d'un membre")
        member = self.member(caisse, pseudonym)
        member.set_roles(list(roles), reason, by, at)
        self._save(member)
        return member

    def record_training(
        self,
        caisse: str,
        pseudonym: str,
        session: str,
        on: date,
        by: Actor,
        at: datetime | None = None,
    ) -> Member:
        """Record a training session a member attended."""
        check_facilitator(self._app, caisse, by, "enregistrer une formation")
        member = self.member(caisse, pseudonym)
        member.record_training(session, on, by, at)
        self._save(member)
        return member

    def leave_member(
        self, caisse: str, pseudonym: str, reason: str, by: Actor, at: datetime | None = None
    ) -> Member:
        """A member leaves, as they or a facilitator record it."""
        member = self.member(caisse, pseudonym)
        if by.id != member.pseudonym:
            check_facilitator(self._app, caisse, by, "enregistrer le départ d'un autre membre")
        member.leave(reason, by, at)
        self._save(member)
        return member

    def member(self, caisse: str, pseudonym: str) -> Member:
        """A member by pseudonym."""
        try:
            return self._app.repository.get(member_id(caisse, pseudonym))
        except AggregateNotFoundError:
            raise RegistryError("member_not_found", pseudonym=pseudonym, caisse=caisse) from None

    def members(self, caisse: str | None = None) -> list[Member]:
        """Every member, in joining order, optionally of one caisse."""
        app = self._app
        found: list[Member] = [app.repository.get(i) for i in app.ids_of(Member.MemberJoined)]
        return [m for m in found if caisse is None or m.caisse == caisse]

    # Charter ----------------------------------------------------------------

    def found_charter(
        self,
        caisse: str,
        by: Actor,
        terms: CharterTerms | None = None,
        at: datetime | None = None,
    ) -> Charter:
        """The founding charter of a caisse (the seed's by default); only once."""
        app = self._app
        app.caisse(caisse)
        if self._stored(charter_id(caisse)):
            raise RegistryError("charter_exists", caisse=caisse)
        charter = Charter.found(caisse, terms or default_charter(caisse), by, at)
        self._save(charter)
        return charter

    def charter(self, caisse: str, at: datetime | None = None) -> Charter:
        """A caisse's charter; founded from the seed in memory if never stored (not saved)."""
        app = self._app
        app.caisse(caisse)
        try:
            return app.repository.get(charter_id(caisse))
        except AggregateNotFoundError:
            return Charter.found(caisse, default_charter(caisse), Actor.system(), at)

    def charter_in_force(self, caisse: str) -> CharterTerms:
        """The charter version in force."""
        return self.charter(caisse).current()

    # Proposals --------------------------------------------------------------

    def open_proposal(
        self,
        caisse: str,
        kind: Kind,
        title: str,
        text: str,
        payload: dict[str, Any],
        by: Actor,
        mode: Mode | None = None,
        ballot: str | None = None,
        at: datetime | None = None,
    ) -> Proposal:
        """Open a proposal in the declared mode (the charter's default if none is declared)."""
        moment = at or now()
        self._check_proposer(caisse, by)
        charter = self.charter(caisse, moment)
        rule = charter.current().rule(kind)
        payload, preview = self._prepared(caisse, kind, payload)
        proposal = Proposal.open(
            caisse,
            kind,
            mode or rule.modes[0],
            title,
            text,
            payload,
            charter.number,
            rule,
            ballot or rule.ballot,
            moment + timedelta(days=rule.voting_days),
            preview,
            by,
            moment,
        )
        if self._stored(proposal.id):
            raise RegistryError("proposal_exists", title=title)
        self._save(charter, proposal)
        return proposal

    def propose_criteria(
        self,
        version: CriteriaVersion,
        title: str,
        text: str,
        by: Actor,
        mode: Mode | None = None,
        at: datetime | None = None,
    ) -> Proposal:
        """Propose a criteria revision: a new version, its date and transition period."""
        payload = {"version": version.model_dump(mode="json")}
        return self.open_proposal(
            version.caisse, Kind.CRITERIA, title, text, payload, by, mode, at=at
        )

    def propose_decision(
        self,
        siret: str,
        action: str,
        reason: str,
        by: Actor,
        title: str | None = None,
        mode: Mode | None = None,
        at: datetime | None = None,
    ) -> Proposal:
        """Propose a decision on a place: approve, refuse, suspend or withdraw its approval."""
        place = self._app.place(siret)
        payload = {"siret": place.siret, "action": action, "reason": reason.strip()}
        effects.check_place_decision(self._app, place.caisse, place.siret, action, reason)
        heading = title or f"{place.name} : {ACTION_LABELS.get(action, (action,))[0]}"
        return self.open_proposal(
            place.caisse, Kind.PLACE, heading, reason, payload, by, mode, at=at
        )

    def propose_charter(
        self,
        caisse: str,
        terms: CharterTerms,
        title: str,
        text: str,
        by: Actor,
        at: datetime | None = None,
    ) -> Proposal:
        """Propose a new charter version."""
        payload = {"charter": terms.model_dump(mode="json")}
        return self.open_proposal(caisse, Kind.CHARTER, title, text, payload, by, at=at)

    def propose_question(
        self,
        caisse: str,
        title: str,
        text: str,
        by: Actor,
        options: Sequence[str] = (),
        mode: Mode | None = None,
        ballot: str | None = None,
        at: datetime | None = None,
    ) -> Proposal:
        """An open question, or a poll when it has options."""
        payload: dict[str, Any] = {"options": [o.strip() for o in options]} if options else {}
        if options and mode is None:
            mode = Mode.POLL
        return self.open_proposal(caisse, Kind.QUESTION, title, text, payload, by, mode, ballot, at)

    def amend_proposal(
        self,
        proposal_ref: str | UUID,
        note: str,
        by: Actor,
        title: str | None = None,
        text: str | None = None,
        payload: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> Proposal:
        """Amend an open proposal; votes already cast stay, marked as cast before it."""
        proposal = self.proposal(proposal_ref)
        check_actor(self._app, proposal.caisse, by)
        preview = None
        if payload is not None:
            payload, preview = self._prepared(proposal.caisse, proposal.kind, payload)
        proposal.amend(title, text, payload, note, preview, by, at)
        self._save(proposal)
        return proposal

    def cast_vote(
        self,
        proposal_ref: str | UUID,
        pseudonym: str,
        choice: str,
        reason: str = "",
        options: Sequence[str] = (),
        at: datetime | None = None,
    ) -> Proposal:
        """A member's vote; the last one counts."""
        proposal = self.proposal(proposal_ref)
        voter = self._voter(proposal, pseudonym, at)
        try:
            parsed = Choice(choice)
        except ValueError:
            known = ", ".join(c.value for c in Choice)
            raise RegistryError("unknown_choice", choice=choice, known=known) from None
        proposal.cast(Ballot(parsed, tuple(o.strip() for o in options), reason), voter, at)
        self._save(proposal)
        return proposal

    def lift_objection(
        self, proposal_ref: str | UUID, pseudonym: str, note: str, at: datetime | None = None
    ) -> Proposal:
        """A member lifts their block or objection, for instance after an amendment."""
        proposal = self.proposal(proposal_ref)
        proposal.lift(note, self._voter(proposal, pseudonym, at), at)
        self._save(proposal)
        return proposal

    def record_meeting_vote(
        self,
        proposal_ref: str | UUID,
        minutes: str,
        held_on: date,
        present: int,
        tally: dict[str, Any],
        by: Actor,
        at: datetime | None = None,
    ) -> Proposal:
        """A facilitator records an in-person vote: its tally and the minutes it comes from."""
        proposal = self.proposal(proposal_ref)
        check_actor(self._app, proposal.caisse, by)
        proposal.record_meeting(minutes, held_on, present, tally, by, at)
        self._save(proposal)
        return proposal

    def withdraw_proposal(
        self, proposal_ref: str | UUID, reason: str, by: Actor, at: datetime | None = None
    ) -> Proposal:
        """The proposer or a facilitator withdraws an open proposal."""
        proposal = self.proposal(proposal_ref)
        check_actor(self._app, proposal.caisse, by)
        proposal.withdraw(reason, by, at)
        self._save(proposal)
        return proposal

    def close_proposal(
        self, proposal_ref: str | UUID, by: Actor, at: datetime | None = None
    ) -> Proposal:
        """Close: compute the outcome under the terms fixed at opening, then apply its effect."""
        app = self._app
        proposal = self.proposal(proposal_ref)
        check_actor(app, proposal.caisse, by)
        moment = at or now()
        electorate = self.electorate(proposal, local_date(moment))
        result = proposal.compute(len(electorate))
        proposal.close(result, electorate, by, moment)
        enact = result.outcome is Outcome.ADOPTED and proposal.kind is not Kind.QUESTION
        if enact:
            try:
                effects.check_effect(app, proposal)
            except RegistryError as refusal:
                # The vote stands; what it asked for is no longer possible: the history says why.
                proposal.record_impossible(refusal, by, moment)
                enact = False
        changed: list[Any] = []
        if enact:
            charter = self.charter(proposal.caisse, moment)
            effect, changed = effects.apply_effect(app, proposal, charter, by, moment)
            proposal.enact(effect, by, moment)
        # The decision and all it causes are one transaction: all stored, or nothing.
        self._save(proposal, *changed)
        return proposal

    def close_due_proposals(
        self, by: Actor | None = None, at: datetime | None = None
    ) -> list[Proposal]:
        """Close every open proposal whose deadline has passed."""
        moment = at or now()
        due = [p for p in self.proposals() if p.state is State.OPEN and p.deadline <= moment]
        return [self.close_proposal(p.id, by or Actor.system(), moment) for p in due]

    def proposals(self, caisse: str | None = None) -> list[Proposal]:
        """Every proposal, in opening order, optionally of one caisse."""
        app = self._app
        found: list[Proposal] = [app.repository.get(i) for i in app.ids_of(Proposal.ProposalOpened)]
        return [p for p in found if caisse is None or p.caisse == caisse]

    def proposal(self, ref: str | UUID) -> Proposal:
        """A proposal by id, or by the first characters of its id."""
        app = self._app
        if isinstance(ref, UUID):
            try:
                return app.repository.get(ref)
            except AggregateNotFoundError:
                raise RegistryError("proposal_not_found", ref=str(ref)) from None
        key = ref.strip().lower().replace("-", "")
        if len(key) < 4:
            raise RegistryError("proposal_not_found", ref=ref)
        matches = [i for i in app.ids_of(Proposal.ProposalOpened) if i.hex.startswith(key)]
        if not matches:
            raise RegistryError("proposal_not_found", ref=ref)
        if len(matches) > 1:
            raise RegistryError("proposal_ambiguous", ref=ref, count=len(matches))
        return app.repository.get(matches[0])

    def electorate(self, proposal: Proposal, day: date) -> list[str]:
        """Who may vote on a proposal on a day, plus whoever has a counted vote."""
        rule = proposal.rule
        eligible = {
            m.pseudonym
            for m in self.members(proposal.caisse)
            if m.can_vote(rule.body, rule.training_required, day)
        }
        return sorted(eligible | set(proposal.ballots()))

    def current_result(self, proposal: Proposal, at: datetime | None = None) -> Result:
        """The tally and outcome if the proposal closed now (the recorded one once closed)."""
        return proposal.compute(len(self.electorate(proposal, local_date(at or now()))))

    def preview_impact(
        self, caisse: str, version: CriteriaVersion, on: date | None = None
    ) -> dict[str, Any]:
        """Which places a proposed criteria version would approve or no longer approve."""
        return impact(self._app, caisse, version, on)

    def demo_criteria_revision(self, version: CriteriaVersion, moment: datetime) -> None:
        """The demo's criteria revision, decided by consent after an amendment."""
        from registry.governance.demo import criteria_revision

        criteria_revision(self._app, version, moment)

    def demo_governance(self) -> list[str]:
        """The demo's later governance history, and a proposal still open today."""
        from registry.governance.demo import later

        return later(self._app)

    # Internals --------------------------------------------------------------

    def _prepared(
        self, caisse: str, kind: Kind, payload: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The payload checked against the registry, and the impact preview of a revision."""
        if kind is Kind.CRITERIA:
            version = effects.check_criteria_revision(
                self._app, caisse, parse_criteria_version(payload.get("version"))
            )
            return (
                {**payload, "version": version.model_dump(mode="json")},
                impact(self._app, caisse, version),
            )
        if kind is Kind.CHARTER:
            terms = parse_charter(payload.get("charter"))
            return {**payload, "charter": terms.model_dump(mode="json")}, {}
        if kind is Kind.PLACE:
            p = payload
            effects.check_place_decision(
                self._app, caisse, str(p.get("siret")), str(p.get("action")), str(p.get("reason"))
            )
        return payload, {}

    def _save(self, *aggregates: Any) -> None:
        """Save together, or refuse if someone changed one of them meanwhile."""
        try:
            self._app.save(*aggregates)
        except IntegrityError:
            raise RegistryError("concurrent_change") from None

    def _stored(self, aggregate_id: UUID) -> bool:
        events = self._app.repository.event_store.get(aggregate_id, limit=1)
        return next(iter(events), None) is not None

    def _voter(self, proposal: Proposal, pseudonym: str, at: datetime | None) -> Actor:
        """The member as a voter on this proposal, or a RegistryError saying why not."""
        proposal.check_open(at)
        member = self.member(proposal.caisse, pseudonym)
        rule = proposal.rule
        role = member.check_can_vote(rule.body, rule.training_required, local_date(at or now()))
        return Actor(member.pseudonym, role)

    def _check_proposer(self, caisse: str, by: Actor) -> None:
        check_caisse(self._app, caisse, by)
        if by.role in (Role.FACILITATOR, Role.SYSTEM):
            check_actor(self._app, caisse, by)
            return
        try:
            member = self.member(caisse, by.id)
        except RegistryError:
            raise RegistryError("cannot_propose", actor=by.id) from None
        if not member.active or not {str(Role.MEMBER), str(Role.PARTICIPANT)} & set(member.roles):
            raise RegistryError("cannot_propose", actor=by.id)

"""The projection: every registry event, applied once to the read-model tables."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import sqlite_utils
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from registry.domain.caisses import Caisse
from registry.domain.criteria_sets import CriteriaSet
from registry.domain.places import Place
from registry.governance.charter import Charter
from registry.governance.members import Member
from registry.governance.proposals import Proposal
from registry.history import describe
from registry.readmodels import criteria, governance
from registry.readmodels.common import Aggregates, Subject, actor_key, utc
from registry.readmodels.places import PlaceTables
from registry.readmodels.view import ReadModelView

PLACE_EVENTS: tuple[type[Any], ...] = (
    Place.Applied,
    Place.DeclarationAmended,
    Place.Evaluated,
    Place.Approved,
    Place.Refused,
    Place.Suspended,
    Place.Withdrawn,
    Place.ApprovalWithdrawn,
    Place.Renewed,
)
OTHER_EVENTS: tuple[type[Any], ...] = (
    Caisse.Registered,
    CriteriaSet.Started,
    CriteriaSet.VersionPublished,
    Member.MemberJoined,
    Member.RolesChanged,
    Member.TrainingRecorded,
    Member.MemberLeft,
    Charter.CharterStarted,
    Charter.CharterVersionAdopted,
    Proposal.ProposalOpened,
    Proposal.ProposalAmended,
    Proposal.VoteCast,
    Proposal.ObjectionLifted,
    Proposal.MeetingVoteRecorded,
    Proposal.ProposalWithdrawn,
    Proposal.ProposalClosed,
    Proposal.DecisionEnacted,
)
EVENT_CLASSES = PLACE_EVENTS + OTHER_EVENTS

# Titles for the events that registry.history does not name.
TITLES: dict[str, tuple[str, str]] = {
    "MemberJoined": ("Arrivée d'un membre", "Member joined"),
    "RolesChanged": ("Rôles d'un membre modifiés", "Member's roles changed"),
    "TrainingRecorded": ("Formation suivie", "Training attended"),
    "MemberLeft": ("Départ d'un membre", "Member left"),
    "CharterStarted": ("Charte ouverte", "Charter opened"),
    "CharterVersionAdopted": ("Version de la charte adoptée", "Charter version adopted"),
    "ProposalOpened": ("Proposition ouverte", "Proposal opened"),
    "ProposalAmended": ("Proposition amendée", "Proposal amended"),
    "VoteCast": ("Vote exprimé", "Vote cast"),
    "ObjectionLifted": ("Objection levée", "Objection lifted"),
    "MeetingVoteRecorded": ("Vote en réunion enregistré", "Meeting vote recorded"),
    "ProposalWithdrawn": ("Proposition retirée", "Proposal withdrawn"),
    "ProposalClosed": ("Proposition close", "Proposal closed"),
    "DecisionEnacted": ("Décision mise en œuvre", "Decision enacted"),
}


class RegistryProjection(Projection[ReadModelView]):
    """Places, statuses, criteria, governance and the timeline, from the registry's events."""

    name = "readmodels"
    topics = tuple(get_topic(cls) for cls in EVENT_CLASSES)

    def __init__(self, view: ReadModelView) -> None:
        super().__init__(view)
        self.aggregates = Aggregates()
        self.places = PlaceTables(view)
        view.on_rollback.append(self.aggregates.forget)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Any other event: only the timeline."""
        with self._event(tracking) as db:
            subject = self.aggregates.get(db, domain_event.originator_id)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _applied(self, domain_event: Place.Applied, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = self.places.applied(db, self.aggregates, domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _amended(self, domain_event: Place.DeclarationAmended, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = self._place(db, domain_event)
            self.places.amended(db, str(subject.subject), domain_event)
            name = str(domain_event.declaration.get("name"))
            subject = self.aggregates.relabel(db, domain_event.originator_id, subject, name)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _evaluated(self, domain_event: Place.Evaluated, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = self._place(db, domain_event)
            self.places.evaluated(db, str(subject.subject), domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _decided(self, domain_event: Place.Decided, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = self._place(db, domain_event)
            self.places.decided(db, str(subject.subject), domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _caisse(self, domain_event: Caisse.Registered, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            criteria.registered(db, domain_event)
            e = domain_event
            subject = self._new(db, e, Subject("caisse", e.slug, e.slug, e.name))
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _criteria_started(self, domain_event: CriteriaSet.Started, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            caisse = domain_event.caisse
            subject = self._new(db, domain_event, Subject("criteria", caisse, caisse))
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _published(self, domain_event: CriteriaSet.VersionPublished, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            found = self.aggregates.get(db, domain_event.originator_id)
            caisse = found.caisse or str(domain_event.version.get("caisse"))
            criteria.published(db, caisse, domain_event)
            version = domain_event.version
            subject = Subject("criteria", caisse, str(version.get("version")), version.get("title"))
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _joined(self, domain_event: Member.MemberJoined, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = governance.joined(db, self.aggregates, domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _member(
        self,
        domain_event: Member.RolesChanged | Member.TrainingRecorded | Member.MemberLeft,
        tracking: Tracking,
    ) -> None:
        with self._event(tracking) as db:
            subject = self.aggregates.get(db, domain_event.originator_id)
            governance.member_changed(db, str(subject.subject), domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _charter_started(self, domain_event: Charter.CharterStarted, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = governance.charter_started(db, self.aggregates, domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _charter(self, domain_event: Charter.CharterVersionAdopted, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = self.aggregates.get(db, domain_event.originator_id)
            governance.charter_adopted(db, subject.caisse, domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _opened(self, domain_event: Proposal.ProposalOpened, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = governance.opened(db, self.aggregates, domain_event)
            _timeline(self.view, domain_event, tracking, subject)

    @process_event.register
    def _proposal(self, domain_event: Proposal.Event, tracking: Tracking) -> None:
        with self._event(tracking) as db:
            subject = self.aggregates.get(db, domain_event.originator_id)
            pid = subject.id or str(domain_event.originator_id)
            governance.proposal_changed(db, subject, pid, domain_event)
            if isinstance(domain_event, Proposal.ProposalAmended):
                subject = self.aggregates.relabel(
                    db, domain_event.originator_id, subject, domain_event.title
                )
            _timeline(self.view, domain_event, tracking, subject)

    def _new(self, db: sqlite_utils.Database, event: Any, subject: Subject) -> Subject:
        return self.aggregates.add(db, event.originator_id, subject, utc(event.timestamp))

    def _event(self, tracking: Tracking) -> AbstractContextManager[sqlite_utils.Database]:
        return self.view.event(tracking)

    def _place(self, db: sqlite_utils.Database, event: Any) -> Subject:
        return self.aggregates.get(db, event.originator_id)


INSERT_TIMELINE = (
    "INSERT INTO timeline (seq, at, caisse, aggregate, aggregate_id, version, subject, label, "
    "event, title_fr, title_en, detail_fr, detail_en, actor, role, decision) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _timeline(view: ReadModelView, event: Any, tracking: Tracking, subject: Subject) -> None:
    name = type(event).__name__
    if name in TITLES:
        title_fr, title_en = TITLES[name]
        detail_fr, detail_en = _governance_detail(event)
        actor, role = getattr(event, "actor", None), getattr(event, "role", None)
        decision = getattr(event, "decision", None)
    else:
        info = _describe(event)
        title_fr, title_en = info["title_fr"], info["title_en"]
        detail_fr, detail_en = info["detail_fr"], info["detail_en"]
        actor, role, decision = info["actor"], info["role"], info["decision"]
    view.append(
        INSERT_TIMELINE,
        [
            tracking.notification_id,
            utc(event.timestamp),
            subject.caisse,
            subject.aggregate,
            subject.id or str(event.originator_id),
            event.originator_version,
            subject.subject,
            subject.label,
            name,
            title_fr,
            title_en,
            detail_fr,
            detail_en,
            actor_key(actor, role, subject.caisse),
            role,
            decision,
        ],
    )


def _describe(event: Any) -> dict[str, Any]:
    try:
        return describe(event)
    except (AttributeError, KeyError, TypeError):
        name = type(event).__name__
        return {
            "event": name,
            "title_fr": name,
            "title_en": name,
            "detail_fr": "",
            "detail_en": "",
            "actor": getattr(event, "actor", None),
            "role": getattr(event, "role", None),
            "decision": getattr(event, "decision", None),
        }


def _governance_detail(event: Any) -> tuple[str, str]:
    """A governance event in a few words, naming no member."""
    if isinstance(event, Proposal.ProposalOpened | Proposal.ProposalAmended):
        mode = getattr(event, "mode", "")
        extra = f" ({mode})" if mode else ""
        return f"{event.title}{extra}", f"{event.title}{extra}"
    if isinstance(event, Proposal.VoteCast):
        return f"choix : {event.choice}", f"choice: {event.choice}"
    if isinstance(event, Proposal.MeetingVoteRecorded):
        return (
            f"{event.minutes}, {event.present} présent(e)s",
            f"{event.minutes}, {event.present} present",
        )
    if isinstance(event, Proposal.ProposalClosed):
        return event.explanation_fr, event.explanation_en
    if isinstance(event, Proposal.ProposalWithdrawn):
        return event.grounds, event.grounds
    if isinstance(event, Charter.CharterVersionAdopted):
        title = str(event.terms.get("title", ""))
        return (
            f"Version {event.number} « {title} » — décision : {event.decision}",
            f"Version {event.number} '{title}' — decision: {event.decision}",
        )
    if isinstance(event, Member.TrainingRecorded):
        return f"{event.session} ({event.on})", f"{event.session} ({event.on})"
    return "", ""

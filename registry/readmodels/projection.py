"""The projection: every registry event, applied once to the read-model tables."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from registry.domain.caisses import Caisse
from registry.domain.criteria_sets import CriteriaSet
from registry.domain.places import Place
from registry.governance.charter import Charter
from registry.governance.members import Member
from registry.governance.proposals import Proposal
from registry.history import texts
from registry.readmodels import criteria, governance
from registry.readmodels.common import Aggregates, Subject, actor_key, utc
from registry.readmodels.places import PlaceTables
from registry.readmodels.view import ReadModelView

PLACE_EVENTS: tuple[type[Any], ...] = (
    Place.Applied,
    Place.DeclarationAmended,
    Place.Evaluated,
    Place.Decided,
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
    Proposal.EnactmentImpossible,
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
    "EnactmentImpossible": ("Effet impossible", "Effect impossible"),
}


class RegistryProjection(Projection[ReadModelView]):
    """Places, statuses, criteria, governance and the timeline, from the registry's events.

    `process_event` has one handler per event class: each writes its event's rows and its
    timeline row, with its tracking, in one transaction.
    """

    name = "readmodels"
    topics = tuple(get_topic(cls) for cls in EVENT_CLASSES)

    def __init__(self, view: ReadModelView) -> None:
        super().__init__(view)
        self.aggregates = Aggregates(view)
        self.places = PlaceTables(view)
        self.criteria = criteria.Versions(view)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """An event of a class without a handler: refused, so that none is silently missed."""
        raise TypeError(f"the read models have no handler for {type(domain_event).__name__}")

    def defer(self, notification: Notification, tracking: Tracking) -> None:
        """Apply a timeline-only event left encoded: the view decodes it and writes its row.

        Its subject is found here, in order with the other events, as the vote handler would.
        """
        origin = notification.originator_id
        if not isinstance(origin, UUID):
            raise TypeError(f"aggregate ids are UUIDs, not {origin!r}")
        with self.view.event(tracking) as view:
            view.defer(notification, self.aggregates.get(origin))

    # Places -----------------------------------------------------------------

    @process_event.register(Place.Applied)
    def _applied(self, domain_event: Place.Applied, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.places.applied(self.aggregates, domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Place.DeclarationAmended)
    def _amended(self, domain_event: Place.DeclarationAmended, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.aggregates.get(domain_event.originator_id)
            self.places.amended(str(subject.subject), domain_event)
            name = str(domain_event.declaration.get("name"))
            subject = self.aggregates.relabel(domain_event.originator_id, subject, name)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Place.Evaluated)
    def _evaluated(self, domain_event: Place.Evaluated, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.aggregates.get(domain_event.originator_id)
            self.places.evaluated(str(subject.subject), domain_event)
            _timeline(view, domain_event, tracking, subject)

    # Approved, Refused, Suspended, Withdrawn, ApprovalWithdrawn and Renewed.
    @process_event.register(Place.Decided)
    def _decided(self, domain_event: Place.Decided, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.aggregates.get(domain_event.originator_id)
            self.places.decided(str(subject.subject), domain_event)
            _timeline(view, domain_event, tracking, subject)

    # Caisses and criteria ---------------------------------------------------

    @process_event.register(Caisse.Registered)
    def _caisse(self, domain_event: Caisse.Registered, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            criteria.registered(view, domain_event)
            e = domain_event
            subject = self._new(e, Subject("caisse", e.slug, e.slug, e.name))
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(CriteriaSet.Started)
    def _criteria_started(self, domain_event: CriteriaSet.Started, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            caisse = domain_event.caisse
            subject = self._new(domain_event, Subject("criteria", caisse, caisse))
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(CriteriaSet.VersionPublished)
    def _published(self, domain_event: CriteriaSet.VersionPublished, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            found = self.aggregates.get(domain_event.originator_id)
            caisse = found.caisse or str(domain_event.version.get("caisse"))
            self.criteria.published(caisse, domain_event)
            version = domain_event.version
            subject = Subject("criteria", caisse, str(version.get("version")), version.get("title"))
            _timeline(view, domain_event, tracking, subject)

    # Members and the charter ------------------------------------------------

    @process_event.register(Member.MemberJoined)
    def _joined(self, domain_event: Member.MemberJoined, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = governance.joined(self.aggregates, domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Member.RolesChanged)
    def _roles(self, domain_event: Member.RolesChanged, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.aggregates.get(domain_event.originator_id)
            governance.roles_changed(view, str(subject.subject), domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Member.TrainingRecorded)
    def _trained(self, domain_event: Member.TrainingRecorded, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.aggregates.get(domain_event.originator_id)
            governance.trained(view, str(subject.subject), domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Member.MemberLeft)
    def _left(self, domain_event: Member.MemberLeft, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.aggregates.get(domain_event.originator_id)
            governance.left(view, str(subject.subject), domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Charter.CharterStarted)
    def _charter_started(self, domain_event: Charter.CharterStarted, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = governance.charter_started(self.aggregates, domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Charter.CharterVersionAdopted)
    def _charter(self, domain_event: Charter.CharterVersionAdopted, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = self.aggregates.get(domain_event.originator_id)
            governance.charter_adopted(view, subject.caisse, domain_event)
            _timeline(view, domain_event, tracking, subject)

    # Proposals --------------------------------------------------------------

    @process_event.register(Proposal.ProposalOpened)
    def _opened(self, domain_event: Proposal.ProposalOpened, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            subject = governance.opened(self.aggregates, domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Proposal.ProposalAmended)
    def _proposal_amended(self, domain_event: Proposal.ProposalAmended, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            origin = domain_event.originator_id
            subject = self.aggregates.get(origin)
            governance.amended(view, _proposal_id(subject, origin), domain_event)
            subject = self.aggregates.relabel(origin, subject, domain_event.title)
            _timeline(view, domain_event, tracking, subject)

    # ObjectionLifted is a vote too: a timeline row only.
    @process_event.register(Proposal.VoteCast)
    def _vote(self, domain_event: Proposal.VoteCast, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            _timeline(view, domain_event, tracking, self.aggregates.get(domain_event.originator_id))

    @process_event.register(Proposal.MeetingVoteRecorded)
    def _meeting(self, domain_event: Proposal.MeetingVoteRecorded, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            origin = domain_event.originator_id
            subject = self.aggregates.get(origin)
            governance.meeting(view, _proposal_id(subject, origin))
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Proposal.ProposalWithdrawn)
    def _withdrawn(self, domain_event: Proposal.ProposalWithdrawn, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            origin = domain_event.originator_id
            subject = self.aggregates.get(origin)
            governance.withdrawn(view, _proposal_id(subject, origin), domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Proposal.ProposalClosed)
    def _closed(self, domain_event: Proposal.ProposalClosed, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            origin = domain_event.originator_id
            subject = self.aggregates.get(origin)
            governance.closed(view, subject, _proposal_id(subject, origin), domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Proposal.DecisionEnacted)
    def _enacted(self, domain_event: Proposal.DecisionEnacted, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            origin = domain_event.originator_id
            subject = self.aggregates.get(origin)
            governance.enacted(view, _proposal_id(subject, origin), domain_event)
            _timeline(view, domain_event, tracking, subject)

    @process_event.register(Proposal.EnactmentImpossible)
    def _impossible(self, domain_event: Proposal.EnactmentImpossible, tracking: Tracking) -> None:
        with self.view.event(tracking) as view:
            origin = domain_event.originator_id
            subject = self.aggregates.get(origin)
            governance.enactment_impossible(view, _proposal_id(subject, origin), domain_event)
            _timeline(view, domain_event, tracking, subject)

    def _new(self, event: Any, subject: Subject) -> Subject:
        return self.aggregates.add(event.originator_id, subject, utc(event.timestamp))


def _proposal_id(subject: Subject, origin: UUID) -> str:
    return subject.id or str(origin)


# Events whose only row is their timeline row, which needs nothing but their subject.
TIMELINE_ONLY = frozenset({get_topic(Proposal.VoteCast)})

INSERT_TIMELINE = (
    "INSERT INTO timeline (seq, at, caisse, aggregate, aggregate_id, version, subject, label, "
    "event, title_fr, title_en, detail_fr, detail_en, actor, role, decision) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _timeline(view: ReadModelView, event: Any, tracking: Tracking, subject: Subject) -> None:
    view.append(INSERT_TIMELINE, timeline_row(event, tracking.notification_id, subject))


def timeline_row(event: Any, seq: int, subject: Subject) -> tuple[Any, ...]:
    """An event's row in the timeline, in INSERT_TIMELINE's order."""
    name = type(event).__name__
    titles = TITLES.get(name)
    if titles is not None:
        title_fr, title_en = titles
        detail_fr, detail_en = _governance_detail(event)
    else:
        title_fr, title_en, detail_fr, detail_en = _texts(event, name)
    role = getattr(event, "role", None)
    caisse = subject.caisse
    return (
        seq,
        utc(event.timestamp),
        caisse,
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
        actor_key(getattr(event, "actor", None), role, caisse),
        role,
        getattr(event, "decision", None),
    )


def _texts(event: Any, name: str) -> tuple[str, str, str, str]:
    try:
        return texts(event)
    except (AttributeError, KeyError, TypeError):
        return name, name, "", ""


# The details of votes, by choice: a few strings made once.
_VOTES: dict[str, tuple[str, str]] = {}


def _governance_detail(event: Any) -> tuple[str, str]:
    """A governance event in a few words, naming no member."""
    if isinstance(event, Proposal.VoteCast):
        choice = event.choice
        found = _VOTES.get(choice) if isinstance(choice, str) else None
        if found is None:
            found = f"choix : {choice}", f"choice: {choice}"
            if isinstance(choice, str) and len(_VOTES) < 1000:
                _VOTES[choice] = found
        return found
    if isinstance(event, Proposal.ProposalOpened | Proposal.ProposalAmended):
        mode = getattr(event, "mode", "")
        extra = f" ({mode})" if mode else ""
        return f"{event.title}{extra}", f"{event.title}{extra}"
    if isinstance(event, Proposal.MeetingVoteRecorded):
        return (
            f"{event.minutes}, {event.present} présent(e)s",
            f"{event.minutes}, {event.present} present",
        )
    if isinstance(event, Proposal.ProposalClosed):
        return event.explanation_fr, event.explanation_en
    if isinstance(event, Proposal.ProposalWithdrawn):
        return event.grounds, event.grounds
    if isinstance(event, Proposal.EnactmentImpossible):
        return event.message_fr, event.message_en
    if isinstance(event, Charter.CharterVersionAdopted):
        title = str(event.terms.get("title", ""))
        return (
            f"Version {event.number} « {title} » — décision : {event.decision}",
            f"Version {event.number} '{title}' — decision: {event.decision}",
        )
    if isinstance(event, Member.TrainingRecorded):
        return f"{event.session} ({event.on})", f"{event.session} ({event.on})"
    return "", ""

"""The projection: every registry event, applied once to the read-model tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
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


E = TypeVar("E")


def _applied_once(
    rows: Callable[[RegistryProjection, E], Subject],
) -> Callable[[RegistryProjection, E, Tracking], None]:
    """A handler from a function writing an event's rows and naming its subject: the rows, the
    event's timeline row and its tracking commit together, or nothing does."""

    def handle(projection: RegistryProjection, domain_event: E, tracking: Tracking) -> None:
        view = projection.view
        view.begin_event(tracking)
        try:
            _timeline(view, domain_event, tracking, rows(projection, domain_event))
        except BaseException:
            view.abort_event()
            raise
        view.end_event(tracking)

    handle.__name__ = handle.__qualname__ = rows.__name__
    handle.__doc__ = rows.__doc__
    return handle


class RegistryProjection(Projection[ReadModelView]):
    """Places, statuses, criteria, governance and the timeline, from the registry's events.

    `process_event` has one handler per event class (subclasses of `Place.Decided` share
    one): each writes its event's rows and names its subject; `_applied_once` adds the
    timeline row and the tracking, in one transaction.
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
    @_applied_once
    def _applied(self, domain_event: Place.Applied) -> Subject:
        return self.places.applied(self.aggregates, domain_event)

    @process_event.register(Place.DeclarationAmended)
    @_applied_once
    def _amended(self, domain_event: Place.DeclarationAmended) -> Subject:
        subject = self.aggregates.get(domain_event.originator_id)
        self.places.amended(str(subject.subject), domain_event)
        name = str(domain_event.declaration.get("name"))
        return self.aggregates.relabel(domain_event.originator_id, subject, name)

    @process_event.register(Place.Evaluated)
    @_applied_once
    def _evaluated(self, domain_event: Place.Evaluated) -> Subject:
        subject = self.aggregates.get(domain_event.originator_id)
        self.places.evaluated(str(subject.subject), domain_event)
        return subject

    # Approved, Refused, Suspended, Withdrawn, ApprovalWithdrawn and Renewed.
    @process_event.register(Place.Decided)
    @_applied_once
    def _decided(self, domain_event: Place.Decided) -> Subject:
        subject = self.aggregates.get(domain_event.originator_id)
        self.places.decided(str(subject.subject), domain_event)
        return subject

    # Caisses and criteria ---------------------------------------------------

    @process_event.register(Caisse.Registered)
    @_applied_once
    def _caisse(self, domain_event: Caisse.Registered) -> Subject:
        criteria.registered(self.view, domain_event)
        e = domain_event
        return self._new(e, Subject("caisse", e.slug, e.slug, e.name))

    @process_event.register(CriteriaSet.Started)
    @_applied_once
    def _criteria_started(self, domain_event: CriteriaSet.Started) -> Subject:
        caisse = domain_event.caisse
        return self._new(domain_event, Subject("criteria", caisse, caisse))

    @process_event.register(CriteriaSet.VersionPublished)
    @_applied_once
    def _published(self, domain_event: CriteriaSet.VersionPublished) -> Subject:
        found = self.aggregates.get(domain_event.originator_id)
        caisse = found.caisse or str(domain_event.version.get("caisse"))
        self.criteria.published(caisse, domain_event)
        version = domain_event.version
        return Subject("criteria", caisse, str(version.get("version")), version.get("title"))

    # Members and the charter ------------------------------------------------

    @process_event.register(Member.MemberJoined)
    @_applied_once
    def _joined(self, domain_event: Member.MemberJoined) -> Subject:
        return governance.joined(self.aggregates, domain_event)

    @process_event.register(Member.RolesChanged)
    @_applied_once
    def _roles(self, domain_event: Member.RolesChanged) -> Subject:
        subject = self.aggregates.get(domain_event.originator_id)
        governance.roles_changed(self.view, str(subject.subject), domain_event)
        return subject

    @process_event.register(Member.TrainingRecorded)
    @_applied_once
    def _trained(self, domain_event: Member.TrainingRecorded) -> Subject:
        subject = self.aggregates.get(domain_event.originator_id)
        governance.trained(self.view, str(subject.subject), domain_event)
        return subject

    @process_event.register(Member.MemberLeft)
    @_applied_once
    def _left(self, domain_event: Member.MemberLeft) -> Subject:
        subject = self.aggregates.get(domain_event.originator_id)
        governance.left(self.view, str(subject.subject), domain_event)
        return subject

    @process_event.register(Charter.CharterStarted)
    @_applied_once
    def _charter_started(self, domain_event: Charter.CharterStarted) -> Subject:
        return governance.charter_started(self.aggregates, domain_event)

    @process_event.register(Charter.CharterVersionAdopted)
    @_applied_once
    def _charter(self, domain_event: Charter.CharterVersionAdopted) -> Subject:
        subject = self.aggregates.get(domain_event.originator_id)
        governance.charter_adopted(self.view, subject.caisse, domain_event)
        return subject

    # Proposals --------------------------------------------------------------

    @process_event.register(Proposal.ProposalOpened)
    @_applied_once
    def _opened(self, domain_event: Proposal.ProposalOpened) -> Subject:
        return governance.opened(self.aggregates, domain_event)

    @process_event.register(Proposal.ProposalAmended)
    @_applied_once
    def _proposal_amended(self, domain_event: Proposal.ProposalAmended) -> Subject:
        origin = domain_event.originator_id
        subject = self.aggregates.get(origin)
        governance.amended(self.view, _proposal_id(subject, origin), domain_event)
        return self.aggregates.relabel(origin, subject, domain_event.title)

    # ObjectionLifted is a vote too: a timeline row only.
    @process_event.register(Proposal.VoteCast)
    @_applied_once
    def _vote(self, domain_event: Proposal.VoteCast) -> Subject:
        return self.aggregates.get(domain_event.originator_id)

    @process_event.register(Proposal.MeetingVoteRecorded)
    @_applied_once
    def _meeting(self, domain_event: Proposal.MeetingVoteRecorded) -> Subject:
        origin = domain_event.originator_id
        subject = self.aggregates.get(origin)
        governance.meeting(self.view, _proposal_id(subject, origin))
        return subject

    @process_event.register(Proposal.ProposalWithdrawn)
    @_applied_once
    def _withdrawn(self, domain_event: Proposal.ProposalWithdrawn) -> Subject:
        origin = domain_event.originator_id
        subject = self.aggregates.get(origin)
        governance.withdrawn(self.view, _proposal_id(subject, origin), domain_event)
        return subject

    @process_event.register(Proposal.ProposalClosed)
    @_applied_once
    def _closed(self, domain_event: Proposal.ProposalClosed) -> Subject:
        origin = domain_event.originator_id
        subject = self.aggregates.get(origin)
        governance.closed(self.view, subject, _proposal_id(subject, origin), domain_event)
        return subject

    @process_event.register(Proposal.DecisionEnacted)
    @_applied_once
    def _enacted(self, domain_event: Proposal.DecisionEnacted) -> Subject:
        origin = domain_event.originator_id
        subject = self.aggregates.get(origin)
        governance.enacted(self.view, _proposal_id(subject, origin), domain_event)
        return subject

    @process_event.register(Proposal.EnactmentImpossible)
    @_applied_once
    def _impossible(self, domain_event: Proposal.EnactmentImpossible) -> Subject:
        origin = domain_event.originator_id
        subject = self.aggregates.get(origin)
        governance.enactment_impossible(self.view, _proposal_id(subject, origin), domain_event)
        return subject

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

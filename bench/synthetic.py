"""A synthetic registry history at any scale, for the benchmarks and for trying the web
interface at scale (`ssa-registry synthetic`): real aggregates, real events.

Places apply, are evaluated and decided automatically, amend their declarations, are
suspended, withdraw; the criteria are revised every few weeks and every active place is
re-evaluated; members join, train, and vote on proposals. Evaluations come from the real
policies, computed once per (declaration template, criteria version) and shared by the
places built from the same template (names and SIRETs differ; no policy reads them).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic
from stdnum import luhn

from policies.criteria import CriteriaVersion, in_force
from policies.declaration import Declaration, parse_declaration
from policies.engine import Verdict, check_version, prepare
from policies.seed import SEED_VERSIONS
from registry.application import Registry
from registry.demo_places import all_declarations
from registry.domain.caisses import DEFAULT_CAISSE, Caisse
from registry.domain.criteria_sets import CriteriaSet
from registry.domain.places import Place, Status
from registry.errors import RegistryError
from registry.governance.charter import Charter, Kind, default_charter
from registry.governance.members import Member
from registry.governance.proposals import Proposal
from registry.governance.rules import Ballot, Choice, Mode
from registry.readmodels import errors as _errors  # noqa: F401  (registers the messages)
from registry.roles import Actor, Role

CAISSE = str(DEFAULT_CAISSE["slug"])
START = datetime(2020, 1, 6, 9, tzinfo=UTC)
MONTHS = 60
FACILITATOR = Actor("animation-synthetique", Role.FACILITATOR)
SYSTEM = Actor.system()
Progress = Callable[[int, int], None]
CHOICES = (Choice.FOR, Choice.FOR, Choice.AGAINST, Choice.ABSTAIN)
MARKER = "\x00evaluation\x00"
BATCH = 20_000
POSTGRES_BATCH = 1_000


@dataclass(frozen=True)
class Plan:
    """How many of each thing a history of `places` places and about `events` events holds."""

    places: int
    events: int
    versions: int
    members: int
    proposals: int

    @classmethod
    def of(cls, places: int, events: int) -> Plan:
        """A realistic mix: about 60 % place lifecycle, the rest governance, mostly votes."""
        per_place = 8.2
        # A revision re-evaluates the places that applied by then: about half of them.
        versions = round((0.6 * events - per_place * places) / places)
        versions = min(max(versions, 2), MONTHS - 2)
        members = min(max(places // 10, 20), 2000)
        place_events = places * (per_place + versions)
        voters = max(int(0.45 * members), 1)
        proposals = max(int((events - place_events - 2.5 * members) / (voters + 3)), 1)
        return cls(places, events, versions, members, proposals)


def check_size(places: int, events: int) -> None:
    """Refuse a history too small to measure anything."""
    if places < 10 or events < 10 * places:
        raise RegistryError(
            "invalid_bench_size", details="au moins 10 lieux et 10 événements par lieu"
        )


def write(app: Registry, places: int, events: int, progress: Progress | None = None) -> int:
    """Write a history of `places` places and about `events` events; the number written."""
    check_size(places, events)
    return History(app, Plan.of(places, events), progress=progress).write()


def siret(n: int) -> str:
    """A valid, deterministic SIRET for the n-th synthetic place."""
    siren = f"{30_000_000 + n:08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def criteria_versions(count: int) -> list[CriteriaVersion]:
    """`count` checked versions spread over the history, alternating stricter and looser rules."""
    first, second = SEED_VERSIONS
    shares = [50, 55, 52, 58, 50, 60, 54, 50]
    versions = []
    for i in range(count):
        base = second if i % 3 == 2 else first
        share = shares[i % len(shares)]
        specs = tuple(
            spec.model_copy(
                update={
                    "params": {
                        **spec.params,
                        "min_share": share,
                        "tiers": [share, min(share + 15, 95), 96],
                    }
                }
            )
            if spec.key == "agriculture_paysanne"
            else spec
            for spec in base.criteria
        )
        day = (START + timedelta(days=30.4 * MONTHS * i / count)).date()
        version = base.model_copy(
            update={
                "version": f"s{i + 1:02d}",
                "title": f"Révision synthétique {i + 1} (part paysanne {share} %)",
                "effective_from": day,
                "criteria": specs,
                "threshold": 0.5 if i % 5 else 0.55,
            }
        )
        versions.append(check_version(version))
    return versions


def templates() -> list[Declaration]:
    """Declaration templates: the demo's places with their peasant share varied."""
    found = []
    for raw in all_declarations():
        supply = raw.get("supply") or {}
        for shift in (-5, 0, 6, 12):
            share = supply.get("peasant_share")
            varied = dict(raw)
            if share is not None:
                varied["supply"] = {**supply, "peasant_share": min(max(share + shift, 0), 100)}
            found.append(parse_declaration(varied))
    return found


@dataclass
class _State:
    place: Place
    template: int


@dataclass
class History:
    """Writes the synthetic history, month by month, in time order."""

    app: Registry
    plan: Plan
    seed: int = 20240603
    progress: Progress | None = None
    written: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.versions = criteria_versions(self.plan.versions)
        self.templates = templates()
        self.evaluations = self._evaluations()
        self.states: list[_State] = []
        self.pending: list[Any] = []
        self.pseudonyms = [f"membre-{n:04d}" for n in range(self.plan.members)]
        self.encoded: dict[int, tuple[Any, bytes]] = {}
        self.marker = self.app.mapper.transcoder.encode(MARKER)

    def write(self) -> int:
        """Write everything; the number of events stored."""
        self._found()
        apply_months = max(int(MONTHS * 0.6), 1)
        for month in range(MONTHS):
            start = START + timedelta(days=30.4 * month)
            end = start + timedelta(days=30.4)
            self._publish(end)
            if month < apply_months:
                self._applications(month, apply_months, start)
            self._reevaluate(start, end)
            self._life(start)
            self._proposals(month, start)
            self._flush()
        return self.written

    # Phases -----------------------------------------------------------------

    def _found(self) -> None:
        at = START - timedelta(days=30)
        caisse = Caisse.register(
            CAISSE,
            str(DEFAULT_CAISSE["name"]),
            str(DEFAULT_CAISSE["area"]),
            list(DEFAULT_CAISSE["quartiers"]),
            FACILITATOR,
            at,
        )
        self.criteria = CriteriaSet.start(CAISSE, at)
        charter = Charter.found(CAISSE, default_charter(CAISSE), FACILITATOR, at)
        self._collect(caisse, charter)
        for n, pseudonym in enumerate(self.pseudonyms):
            joined = at + timedelta(minutes=n)
            member = Member.join(CAISSE, pseudonym, [Role.MEMBER], 1 + n // 40, FACILITATOR, joined)
            if n % 4:
                member.record_training("Formation aux critères", joined.date(), FACILITATOR, joined)
            self._collect(member)
        self.published: list[CriteriaVersion] = []
        self._flush()

    def _applications(self, month: int, months: int, start: datetime) -> None:
        first = self.plan.places * month // months
        last = self.plan.places * (month + 1) // months
        for n in range(first, last):
            at = start + timedelta(minutes=n % 40_000)
            template = self.rng.randrange(len(self.templates))
            declaration = self.templates[template].model_copy(
                update={"siret": siret(n), "name": f"Lieu synthétique {n}"}
            )
            place = Place.create(declaration, Actor(declaration.siret, Role.PLACE), at)
            state = _State(place, template)
            self.states.append(state)
            self._decide(state, "candidature", at)
            self._collect(place)

    def _publish(self, end: datetime) -> None:
        for version in self.versions:
            published = _moment(version.effective_from) - timedelta(days=20)
            if published < end and version not in self.published:
                self.criteria.publish(version, "assemblée synthétique", FACILITATOR, published)
                self.published.append(version)
        self._collect(self.criteria)

    def _reevaluate(self, start: datetime, end: datetime) -> None:
        for version in self.versions:
            effective = _moment(version.effective_from)
            if not start <= effective < end:
                continue
            for state in self.states:
                place = state.place
                if place.modified_on >= effective:
                    continue
                if place.status in (Status.PENDING, Status.APPROVED, Status.SUSPENDED):
                    self._decide(state, "nouveaux critères", effective)
                    self._collect(place)

    def _life(self, start: datetime) -> None:
        for state in self.rng.sample(self.states, len(self.states) // 25):
            place, roll = state.place, self.rng.random()
            at = start + timedelta(days=self.rng.uniform(1, 28))
            at = max(at, place.modified_on + timedelta(minutes=1))
            if place.status is Status.WITHDRAWN:
                continue
            if roll < 0.75:
                state.template = self.rng.randrange(len(self.templates))
                declaration = self.templates[state.template].model_copy(
                    update={"siret": place.siret, "name": place.name}
                )
                place.amend(declaration, Actor(place.siret, Role.PLACE), at)
                self._decide(state, "modification", at)
            elif roll < 0.9 and place.status is Status.APPROVED:
                place.suspend("Signalement d'un refus de l'allocation", "réunion", FACILITATOR, at)
                later = at + timedelta(days=10)
                rate, version = place.coverage_rate or 60.0, place.approved_under or "—"
                place.renew(
                    "Rencontre, situation réglée", "réunion", version, rate, FACILITATOR, later
                )
            elif roll >= 0.97:
                place.withdraw(
                    "Cessation d'activité", "retrait", Actor(place.siret, Role.PLACE), at
                )
            self._collect(place)

    def _proposals(self, month: int, start: datetime) -> None:
        """Enough proposals, with their votes, to keep the history on course for its size."""
        due = self.plan.events * (month + 1) // MONTHS - self.written - len(self.pending)
        voters = max(int(0.45 * self.plan.members), 1)
        count = max(due // (voters + 2), 1 if due > 0 else 0)
        rule = default_charter(CAISSE).rule(Kind.QUESTION)
        for k in range(count):
            opened = start + timedelta(days=1 + k % 20, hours=k % 7)
            proposal = Proposal.open(
                CAISSE,
                Kind.QUESTION,
                Mode.MAJORITY,
                f"Question {month + 1}.{k + 1} au collectif",
                "Une question posée aux expérimentateurs.",
                {},
                1,
                rule,
                "single",
                opened + timedelta(days=14),
                {},
                FACILITATOR,
                opened,
            )
            chosen = self.rng.sample(self.pseudonyms, min(voters, len(self.pseudonyms)))
            first = chosen[0]
            proposal.cast(Ballot(Choice.FOR), Actor(first, Role.MEMBER), opened)
            for i, pseudonym in enumerate(chosen[1:]):
                # The event `cast` records, without re-checking each earlier vote (all distinct).
                proposal.trigger_event(
                    Proposal.VoteCast,
                    timestamp=opened + timedelta(minutes=5 + i),
                    actor=pseudonym,
                    role=str(Role.MEMBER),
                    choice=str(self.rng.choice(CHOICES)),
                    options=[],
                    grounds="",
                    amendment=0,
                )
            result = proposal.compute(len(self.pseudonyms))
            proposal.close(result, self.pseudonyms, SYSTEM, opened + timedelta(days=14, minutes=1))
            self._collect(proposal)

    # Decisions --------------------------------------------------------------

    def _decide(self, state: _State, trigger: str, at: datetime, by: Actor = SYSTEM) -> None:
        """Evaluate and decide as the registry does for an automatic criteria version."""
        version = self._in_force(at.date())
        place = state.place
        if version is None:
            return
        evaluation = self.evaluations[(state.template, version.version)]
        place.record_evaluation(evaluation, trigger, by, at)
        verdict, rate = evaluation["verdict"], float(evaluation["coverage_rate"])
        decision, reason = f"critères {version.version}", evaluation["summary_fr"]
        if place.status is Status.PENDING:
            if verdict == Verdict.APPROVED:
                place.approve(reason, decision, version.version, rate, by, at)
            elif verdict == Verdict.REFUSED:
                place.refuse(reason, decision, by, at)
        elif place.status is Status.APPROVED:
            if verdict == Verdict.APPROVED and (
                place.approved_under != version.version or place.coverage_rate != rate
            ):
                place.renew(reason, decision, version.version, rate, by, at)
            elif verdict == Verdict.REFUSED:
                place.withdraw_approval(reason, decision, by, at)

    def _in_force(self, day: date) -> CriteriaVersion | None:
        return in_force(self.published, day)

    def _evaluations(self) -> dict[tuple[int, str], dict[str, Any]]:
        found = {}
        for version in self.versions:
            prepared = prepare(version)
            for i, template in enumerate(self.templates):
                judged = prepared.judge(template, version.effective_from)
                found[(i, version.version)] = judged.recorded()
        return found

    # Storage ----------------------------------------------------------------

    def _collect(self, *aggregates: Any) -> None:
        for aggregate in aggregates:
            self.pending.extend(aggregate.collect_events())

    def _flush(self) -> None:
        events = sorted(self.pending, key=lambda e: e.timestamp)
        self.pending = []
        for chunk in _chunks(events, self._batch()):
            self.app.recorder.insert_events([self._stored(e) for e in chunk])
            for e in chunk:
                name = type(e).__name__
                self.counts[name] = self.counts.get(name, 0) + 1
            self.written += len(chunk)
            if self.progress is not None:
                self.progress(self.written, self.plan.events)

    def _batch(self) -> int:
        """Events per insert: fewer on PostgreSQL, where psycopg's pipeline can hang on a
        very large one (the server waiting in ClientRead, psycopg/psycopg#685)."""
        if isinstance(self.app.recorder, PostgresApplicationRecorder):
            return POSTGRES_BATCH
        return BATCH

    def _stored(self, event: Any) -> StoredEvent:
        """The stored event, byte for byte as the mapper makes it; evaluations encoded once."""
        mapper = self.app.mapper
        if type(event) is not Place.Evaluated or mapper.compressor or mapper.cipher:
            return mapper.to_stored_event(event)
        cached = self.encoded.get(id(event.evaluation))
        if cached is None or cached[0] is not event.evaluation:
            cached = (event.evaluation, mapper.transcoder.encode(event.evaluation))
            self.encoded[id(event.evaluation)] = cached
        encoded = cached[1]
        state = {k: v for k, v in vars(event).items() if k not in ("originator_id",)}
        del state["originator_version"]
        state["evaluation"] = MARKER
        raw = mapper.transcoder.encode(state).replace(self.marker, encoded, 1)
        return StoredEvent(
            event.originator_id, event.originator_version, get_topic(Place.Evaluated), raw
        )


def _moment(day: date) -> datetime:
    return datetime.combine(day, START.timetz())


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]

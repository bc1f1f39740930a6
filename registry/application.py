"""The registry application: a thin layer of verbs over the aggregates."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from policies.criteria import CriteriaVersion, Decision
from policies.declaration import Declaration, normalise_siret
from policies.engine import Evaluation, Prepared, Verdict, check_version, evaluate, prepare
from registry.clock import local_date, now
from registry.domain.caisses import Caisse
from registry.domain.criteria_sets import CriteriaSet
from registry.domain.places import Place, Status
from registry.errors import RegistryError
from registry.governance import Governance
from registry.ids import caisse_id, criteria_set_id, place_id
from registry.roles import Actor
from registry.services.rights import check_actor


class Registry(Governance, Application[UUID]):
    """Verbs of the conventionnement registry."""

    name = "registry"

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        # Criteria sets read on every command, kept in memory and brought up to date on each
        # read: versions are only ever appended, and readers never mutate them.
        self._criteria_memo: dict[str, CriteriaSet] = {}
        self._criteria_lock = threading.Lock()
        # Caisses are registered, never removed: once seen, a slug need not be read again.
        self._known_caisses: set[str] = set()
        # Versions ready to run, by the identity of the (immutable) version object.
        self._ready_versions: dict[int, Prepared] = {}
        # Per event topic: the ids found so far, and the notification id to read from next.
        self._ids_read: dict[str, tuple[list[UUID], int]] = {}
        self._ids_lock = threading.Lock()

    # Store ------------------------------------------------------------------

    def is_initialised(self) -> bool:
        """Whether any event was ever stored."""
        return self.recorder.max_notification_id() is not None

    def ids_of(self, event_class: type[Any]) -> Iterator[UUID]:
        """Ids of the aggregates whose events of this class were stored, in order.

        The log is only ever appended to, in the order of its notification ids: what was read
        once is kept, and each call reads only the events stored since the last one, up to the
        last id stored when it began (so a long log is not read again on every page).
        """
        topic = get_topic(event_class)
        with self._ids_lock:
            known, start = self._ids_read.get(topic, ([], 1))
            last = self.recorder.max_notification_id() or 0
            while start <= last:
                batch = self.recorder.select_notifications(start, 500, stop=last, topics=[topic])
                known.extend(n.originator_id for n in batch)  # type: ignore[misc]
                start = last + 1 if len(batch) < 500 else batch[-1].id + 1
            self._ids_read[topic] = (known, start)
            found = list(known)
        return iter(found)

    # Caisses ----------------------------------------------------------------

    def register_caisse(
        self,
        slug: str,
        name: str,
        area: str,
        quartiers: list[str],
        first_version: CriteriaVersion,
        by: Actor,
        at: datetime | None = None,
    ) -> Caisse:
        """A new caisse with its first criteria version, stored together."""
        if self._exists(caisse_id(slug)):
            raise RegistryError("caisse_exists", caisse=slug)
        caisse = Caisse.register(slug, name, area, quartiers, by, at)
        criteria = CriteriaSet.start(slug, at)
        criteria.publish(check_version(first_version), "fondation", by, at)
        self.save(caisse, criteria)
        return caisse

    def caisses(self) -> list[Caisse]:
        """Every caisse, in registration order."""
        return [self.repository.get(i) for i in self.ids_of(Caisse.Registered)]

    def caisse(self, slug: str) -> Caisse:
        """A caisse by slug."""
        try:
            found: Caisse = self.repository.get(caisse_id(slug))
        except AggregateNotFoundError:
            known = ", ".join(c.slug for c in self.caisses()) or "aucune"
            raise RegistryError("unknown_caisse", caisse=slug, known=known) from None
        self._known_caisses.add(slug)
        return found

    def check_caisse(self, slug: str) -> None:
        """Refuse a caisse that was never registered."""
        if slug not in self._known_caisses:
            self.caisse(slug)

    # Criteria ---------------------------------------------------------------

    def criteria_set(self, caisse: str, at: datetime | None = None) -> CriteriaSet:
        """A caisse's criteria set, optionally as it stood at a moment."""
        self.caisse(caisse)
        if at is None:
            return self.repository.get(criteria_set_id(caisse))
        version = self._version_at(criteria_set_id(caisse), at)
        if version is None:
            return CriteriaSet.start(caisse, at)
        return self.repository.get(criteria_set_id(caisse), version=version)

    def current_criteria(self, caisse: str) -> CriteriaSet:
        """A caisse's criteria set as it stands, for reading only (never publish through it)."""
        with self._criteria_lock:
            memo = self._criteria_memo.get(caisse)
            if memo is None:
                self.caisse(caisse)
                memo = self.repository.get(criteria_set_id(caisse))
            else:
                for event in self.repository.event_store.get(memo.id, gt=memo.version):
                    event.mutate(memo)  # type: ignore[attr-defined]
            self._criteria_memo[caisse] = memo
            return memo

    def criteria_in_force(self, caisse: str, on: date | None = None) -> CriteriaVersion:
        """The criteria version in force on a date (today by default)."""
        day = on or local_date(now())
        version = self.current_criteria(caisse).in_force(day)
        if version is None:
            raise RegistryError("no_criteria_in_force", date=day.isoformat(), caisse=caisse)
        return version

    def publish_criteria(
        self, version: CriteriaVersion, decision: str, by: Actor, at: datetime | None = None
    ) -> list[str]:
        """Publish a new version; re-evaluate places at once if it is already in force."""
        criteria, places = self.published(version, decision, by, at)
        self.save(criteria, *places)
        return [p.siret for p in places]

    def published(
        self, version: CriteriaVersion, decision: str, by: Actor, at: datetime | None = None
    ) -> tuple[CriteriaSet, list[Place]]:
        """A version published and, if already in force, the places it re-evaluates: changed in
        memory, for the caller to save together."""
        checked = check_version(version)
        criteria = self.criteria_set(checked.caisse)
        criteria.publish(checked, decision, by, at)
        if checked.effective_from > local_date(at or now()):
            return criteria, []
        return criteria, self.reevaluated(checked.caisse, by, at, criteria)

    # Places -----------------------------------------------------------------

    def apply(self, declaration: Declaration, by: Actor, at: datetime | None = None) -> Place:
        """A new application, evaluated under the criteria in force, stored in one go.

        A SIRET applies once: the place's id derives from it, so the store itself refuses a
        second application, whoever sent it first.
        """
        self.check_caisse(declaration.caisse)
        place = Place.create(declaration, by, at)
        self._evaluate_and_decide(place, "candidature", Actor.system(), at, declaration=declaration)
        try:
            self.save(place)
        except IntegrityError:
            existing = self._find_place(declaration.siret)
            raise RegistryError(
                "already_applied",
                siret=declaration.siret,
                name=existing.name if existing else declaration.name,
                status=str(existing.status) if existing else "?",
            ) from None
        return place

    def amend(
        self, siret: str, declaration: Declaration, by: Actor, at: datetime | None = None
    ) -> Place:
        """Amend a declaration, then re-evaluate it."""
        place = self.place(siret)
        place.amend(declaration, by, at)
        self._evaluate_and_decide(
            place, "modification", Actor.system(), at, declaration=declaration
        )
        self.save(place)
        return place

    def withdraw(self, siret: str, reason: str, by: Actor, at: datetime | None = None) -> Place:
        """The place withdraws."""
        place = self.place(siret)
        place.withdraw(reason, "retrait", by, at)
        self.save(place)
        return place

    def decide(
        self,
        siret: str,
        action: str,
        reason: str,
        decision: str,
        by: Actor,
        at: datetime | None = None,
    ) -> Place:
        """Approve, refuse, suspend, withdraw approval of or renew a place, citing a decision."""
        place = self.decided(siret, action, reason, decision, by, at)
        self.save(place)
        return place

    def decided(
        self,
        siret: str,
        action: str,
        reason: str,
        decision: str,
        by: Actor,
        at: datetime | None = None,
    ) -> Place:
        """A place with a decision applied in memory, for the caller to save."""
        place = self.place(siret)
        check_actor(self, place.caisse, by)
        if action in ("approve", "renew"):
            evaluation = place.evaluation or {}
            version = str(evaluation.get("criteria_version", "")) or "—"
            rate = float(evaluation.get("coverage_rate") or 0.0) or 100.0
            getattr(place, action)(reason, decision, version, rate, by, at)
        elif action in ("refuse", "suspend", "withdraw_approval"):
            getattr(place, action)(reason, decision, by, at)
        else:
            raise RegistryError(
                "illegal_transition", action=action, name=place.name, status=place.status
            )
        return place

    def place(self, siret: str) -> Place:
        """A place by SIRET."""
        compact = normalise_siret(siret)
        place = self._find_place(compact)
        if place is None:
            raise RegistryError("place_not_found", siret=compact)
        return place

    def place_at(self, siret: str, at: datetime) -> Place | None:
        """A place as it stood at a moment, or None if it had not applied yet."""
        pid = place_id(normalise_siret(siret))
        version = self._version_at(pid, at)
        if version is None:
            return None
        return self.repository.get(pid, version=version)

    def places(self, caisse: str | None = None) -> list[Place]:
        """Every place, in application order, optionally of one caisse."""
        found: list[Place] = [self.repository.get(i) for i in self.ids_of(Place.Applied)]
        return [p for p in found if caisse is None or p.caisse == caisse]

    def history(self, siret: str) -> list[Any]:
        """Every event of a place, oldest first."""
        place = self.place(siret)
        return list(self.repository.event_store.get(place.id))

    def evaluate_place(
        self, siret: str, version: str | None = None, on: date | None = None
    ) -> Evaluation:
        """Evaluate a place's current declaration, without recording anything."""
        place = self.place(siret)
        day = on or local_date(now())
        if version is None:
            criteria = self.criteria_in_force(place.caisse, day)
        else:
            criteria = self.current_criteria(place.caisse).get(version)
        return evaluate(place.parsed_declaration(), criteria, day)

    def reevaluate(self, caisse: str, by: Actor, at: datetime | None = None) -> list[str]:
        """Re-evaluate the places whose evaluation predates the version in force; their SIRETs."""
        changed = self.reevaluated(caisse, by, at)
        for place in changed:
            self.save(place)
        return [p.siret for p in changed]

    def reevaluated(
        self,
        caisse: str,
        by: Actor,
        at: datetime | None = None,
        criteria_set: CriteriaSet | None = None,
    ) -> list[Place]:
        """The places re-evaluated in memory under the version in force (in `criteria_set`, when
        given, else as stored) whose evaluation or status changed, for the caller to save."""
        day = local_date(at or now())
        if criteria_set is None:
            criteria = self.criteria_in_force(caisse, day)
        else:
            found = criteria_set.in_force(day)
            if found is None:
                raise RegistryError("no_criteria_in_force", date=day.isoformat(), caisse=caisse)
            criteria = found
        changed = []
        for place in self.places(caisse):
            if place.status not in (Status.PENDING, Status.APPROVED, Status.SUSPENDED):
                continue
            current = (place.evaluation or {}).get("criteria_version")
            if current == criteria.version and not self._transition_over(place, criteria, day):
                continue
            self._evaluate_and_decide(place, "nouveaux critères", by, at, criteria)
            if place.pending_events:
                changed.append(place)
        return changed

    # Internals --------------------------------------------------------------

    def _evaluate_and_decide(
        self,
        place: Place,
        trigger: str,
        by: Actor,
        at: datetime | None,
        criteria: CriteriaVersion | None = None,
        declaration: Declaration | None = None,
    ) -> None:
        day = local_date(at or now())
        version = criteria or self.current_criteria(place.caisse).in_force(day)
        if version is None:
            return
        parsed = declaration if declaration is not None else place.parsed_declaration()
        result = self._prepare(version).judge(parsed, day)
        place.record_evaluation(result.recorded(), trigger, by, at)
        if version.decision is not Decision.AUTOMATIC:
            return
        decision = f"critères {version.version}"
        if place.status is Status.PENDING:
            if result.verdict is Verdict.APPROVED:
                place.approve(
                    result.summary_fr, decision, version.version, result.coverage_rate, by, at
                )
            elif result.verdict is Verdict.REFUSED:
                place.refuse(result.summary_fr, decision, by, at)
        elif place.status is Status.APPROVED:
            if result.verdict is Verdict.APPROVED and (
                place.approved_under != version.version
                or place.coverage_rate != result.coverage_rate
            ):
                place.renew(
                    result.summary_fr, decision, version.version, result.coverage_rate, by, at
                )
            elif result.verdict is Verdict.REFUSED and day >= _transition_end(version):
                place.withdraw_approval(result.summary_fr, decision, by, at)

    def _prepare(self, version: CriteriaVersion) -> Prepared:
        """A version ready to run, prepared once per version object."""
        found = self._ready_versions.get(id(version))
        if found is None or found.version is not version:
            if len(self._ready_versions) > 256:
                self._ready_versions.clear()
            found = self._ready_versions[id(version)] = prepare(version)
        return found

    def _transition_over(self, place: Place, criteria: CriteriaVersion, day: date) -> bool:
        verdict = (place.evaluation or {}).get("verdict")
        return (
            place.status is Status.APPROVED
            and verdict == Verdict.REFUSED
            and day >= _transition_end(criteria)
        )

    def _find_place(self, siret: str) -> Place | None:
        try:
            return self.repository.get(place_id(siret))
        except AggregateNotFoundError:
            return None

    def _exists(self, aggregate_id: UUID) -> bool:
        return next(iter(self.repository.event_store.get(aggregate_id, limit=1)), None) is not None

    def _version_at(self, aggregate_id: UUID, at: datetime) -> int | None:
        version = None
        for event in self.repository.event_store.get(aggregate_id):
            if event.timestamp > at:  # type: ignore[attr-defined]
                break
            version = event.originator_version
        return version


def _transition_end(version: CriteriaVersion) -> date:
    return version.effective_from + timedelta(days=version.transition_days)

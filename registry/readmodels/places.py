"""How place events change `places`, `declarations`, `status_changes` and `evaluations`.

Status changes mirror `Place`'s own apply() methods, event for event. Declarations, status
changes and evaluations are only ever appended, so they are written with their batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.domain.places import STATUS_LABELS, Place, Status
from registry.readmodels.common import Aggregates, Subject, compact, dumps, utc
from registry.readmodels.view import ReadModelView

INSERT_DECLARATION = (
    "INSERT INTO declarations (siret, seq, valid_from, name, kind, quartier, street, "
    "postcode, city, peasant_share, declaration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_STATUS = (
    "INSERT INTO status_changes (siret, seq, status, status_fr, status_en, reason, decision, "
    "criteria_version, coverage_rate, valid_from, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_EVALUATION = (
    "INSERT INTO evaluations (siret, seq, at, on_date, criteria_version, verdict, score, "
    "summary_fr, summary_en, missing, trigger, coverage_rate, declaration_seq, outcomes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def sort_key(name: Any) -> str:
    """A name as lists sort and search it: casefolded."""
    return str(name or "").casefold()


def declared(declaration: dict[str, Any]) -> list[Any]:
    """The declared columns shared by `places` and `declarations`, in order."""
    address = declaration.get("address") or {}
    supply = declaration.get("supply") or {}
    return [
        declaration.get("name"),
        declaration.get("kind"),
        declaration.get("quartier"),
        address.get("street"),
        address.get("postcode"),
        address.get("city"),
        supply.get("peasant_share"),
    ]


@dataclass
class _Current:
    """What the next event of a place needs to know of it."""

    status: Status
    approved_under: str | None
    rate: float
    declaration_seq: int


class PlaceTables:
    """Writes of place events, with each place's current state cached between events."""

    def __init__(self, view: ReadModelView) -> None:
        self.view = view
        self._cache: dict[str, _Current] = {}
        view.on_rollback.append(self._cache.clear)
        view.on_commit.append(self._trim)

    def applied(self, aggregates: Aggregates, e: Place.Applied) -> Subject:
        """A new application: a place, its first declaration, a pending status."""
        decl = e.declaration
        siret, caisse, at = str(decl["siret"]), str(decl["caisse"]), utc(e.timestamp)
        coordinates = decl.get("coordinates") or {}
        subject = Subject("place", caisse, siret, str(decl.get("name")))
        subject = aggregates.add(e.originator_id, subject, at)
        self.view.execute(
            "INSERT INTO places (siret, caisse, name, kind, quartier, street, postcode, city, "
            "peasant_share, lat, lon, applied_at, declaration_seq, status, status_seq, "
            "sort_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [siret, caisse, *declared(decl), coordinates.get("lat"), coordinates.get("lon"), at]
            + [e.originator_version, str(Status.PENDING), e.originator_version]
            + [sort_key(decl.get("name"))],
        )
        self._new_declaration(siret, e.originator_version, at, decl)
        current = _Current(Status.PENDING, None, 0.0, e.originator_version)
        self._cache[siret] = current
        reason, decision = "Candidature déposée", "candidature"
        self._set_status(siret, current, e, Status.PENDING, reason, decision, on_place=False)
        return subject

    def amended(self, siret: str, e: Place.DeclarationAmended) -> None:
        """A new declaration; a refused or withdrawn approval becomes a new application."""
        decl, at = e.declaration, utc(e.timestamp)
        current = self._current(siret)
        coordinates = decl.get("coordinates") or {}
        self.view.execute(
            "UPDATE places SET name = ?, kind = ?, quartier = ?, street = ?, postcode = ?, "
            "city = ?, peasant_share = ?, lat = ?, lon = ?, declaration_seq = ?, sort_name = ? "
            "WHERE siret = ?",
            [*declared(decl), coordinates.get("lat"), coordinates.get("lon")]
            + [e.originator_version, sort_key(decl.get("name")), siret],
        )
        self._new_declaration(siret, e.originator_version, at, decl)
        current.declaration_seq = e.originator_version
        if current.status in (Status.REFUSED, Status.DECONVENTIONNE):
            reason = "Nouvelle candidature après modification"
            decision = getattr(e, "decision", "candidature")
            self._set_status(siret, current, e, Status.PENDING, reason, decision)

    def evaluated(self, siret: str, e: Place.Evaluated) -> None:
        """An evaluation: kept whole, and the place's latest verdict and summary."""
        get = e.evaluation.get
        missing, outcomes = _findings(get("results") or [])
        current = self._current(siret)
        self.view.append(
            INSERT_EVALUATION,
            (
                siret,
                e.originator_version,
                utc(e.timestamp),
                str(get("on")),
                get("criteria_version"),
                get("verdict"),
                get("score"),
                get("summary_fr"),
                get("summary_en"),
                missing,
                e.trigger,
                get("coverage_rate"),
                current.declaration_seq,
                outcomes,
            ),
        )

    def decided(self, siret: str, e: Place.Decided) -> None:
        """A status change for a reason, as Place applies it."""
        current = self._current(siret)
        if isinstance(e, _APPROVING):
            status = Status.APPROVED
            current.approved_under, current.rate = e.criteria_version, e.coverage_rate
        elif isinstance(e, Place.ApprovalWithdrawn):
            status, current.rate = Status.DECONVENTIONNE, 0.0
        else:
            status = _DECIDED[type(e).__name__]
        self._set_status(siret, current, e, status, e.reason, e.decision)

    def _current(self, siret: str) -> _Current:
        found = self._cache.get(siret)
        if found is None:
            row = self.view.query(
                "SELECT s.status, s.criteria_version, s.coverage_rate, p.declaration_seq "
                "FROM places p JOIN status_changes s ON s.siret = p.siret "
                "WHERE p.siret = ? ORDER BY s.seq DESC LIMIT 1",
                [siret],
            )
            found = _Current(Status(row[0]), row[1], float(row[2] or 0.0), row[3])
            self._cache[siret] = found
        return found

    def _trim(self) -> None:
        # Only between batches: within one, the cache holds rows not yet written.
        if len(self._cache) > 100_000:
            self._cache.clear()

    def _new_declaration(self, siret: str, seq: int, at: str, decl: dict[str, Any]) -> None:
        self.view.append(INSERT_DECLARATION, [siret, seq, at, *declared(decl), dumps(decl)])

    def _set_status(
        self,
        siret: str,
        current: _Current,
        e: Any,
        status: Status,
        reason: str,
        decision: str,
        on_place: bool = True,
    ) -> None:
        fr, en = STATUS_LABELS[status]
        if on_place:
            self.view.execute(
                "UPDATE places SET status = ?, status_seq = ? WHERE siret = ?",
                [str(status), e.originator_version, siret],
            )
        self.view.append(
            INSERT_STATUS,
            (
                siret,
                e.originator_version,
                str(status),
                fr,
                en,
                reason,
                decision,
                current.approved_under,
                current.rate,
                utc(e.timestamp),
                type(e).__name__,
            ),
        )
        current.status = status


_APPROVING = (Place.Approved, Place.Renewed)
_DECIDED = {
    "Refused": Status.REFUSED,
    "Suspended": Status.SUSPENDED,
    "Withdrawn": Status.WITHDRAWN,
}


def _findings(results: list[dict[str, Any]]) -> tuple[str, str]:
    """What the results lack, sorted, and each criterion's outcome, both as JSON."""
    found: set[Any] = set()
    shown: dict[Any, Any] = {}
    for r in results:
        get = r.get
        lacking = get("missing")
        if lacking:
            found.update(lacking)
        level, top, outcome = get("level"), get("max_level"), get("outcome")
        shown[get("key")] = f"{outcome} {level}/{top}" if level is not None and top else outcome
    return (dumps(sorted(found)) if found else "[]"), compact(shown)

"""The API's request and response models: the OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from policies.criteria import CriteriaVersion
from policies.engine import Evaluation
from registry.governance.charter import CharterTerms


class Out(BaseModel):
    """Base of response models."""

    model_config = ConfigDict(extra="ignore")


class ErrorOut(Out):
    """Every API error: a stable code, a message, and per-field messages when a body was invalid."""

    code: str = Field(description="Code stable de l'erreur")
    message: str = Field(description="Message en français (en anglais avec Accept-Language: en)")
    fields: dict[str, str] | None = Field(default=None, description="Message par champ")


class PlaceOut(Out):
    """A place's status and why."""

    siret: str
    name: str
    kind: str
    caisse: str
    quartier: str | None
    postcode: str | None
    status: str = Field(
        description="candidature, conventionne, refuse, suspendu, retire, deconventionne"
    )
    status_fr: str
    status_en: str
    reason: str
    decision: str
    since: str
    approved_under: str | None
    coverage_rate: float


class PlaceDetailOut(PlaceOut):
    """A place with its declaration, its last evaluation and what is missing."""

    declaration: dict[str, Any]
    evaluation: Evaluation | None
    missing: list[str]


class EventOut(Out):
    """One event in plain words."""

    event: str
    version: int
    at: str
    actor: str | None
    role: str | None
    title_fr: str
    title_en: str
    detail_fr: str
    detail_en: str
    decision: str | None


class LogEventOut(EventOut):
    """One event of the whole log, with its number and what it is about."""

    number: int
    category: str
    siret: str | None = None
    subject_name: str | None = None


class EventPageOut(Out):
    """A page of the event log, newest first."""

    total: int
    page: int
    pages: int
    events: list[LogEventOut]


class CriteriaOut(Out):
    """Every criteria version of a caisse and the one in force today."""

    caisse: str
    in_force: str | None
    versions: list[CriteriaVersion]


class ChangeOut(Out):
    """One difference between two criteria versions."""

    subject: str
    kind: str
    field: str
    before: Any
    after: Any


class CriteriaVersionOut(Out):
    """One criteria version and what changed since the previous one."""

    version: CriteriaVersion
    previous: str | None
    changes: list[ChangeOut]


class WithdrawIn(BaseModel):
    """Why a place withdraws."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, description="Motif du retrait")


class DecisionIn(BaseModel):
    """A decision of the collective on a place, recorded by a facilitator."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(pattern="^(approve|refuse|suspend|renew|withdraw_approval)$")
    reason: str = Field(min_length=1, max_length=500)
    decision: str = Field(min_length=1, max_length=200, description="Réunion ou proposition")


class ReplayPlaceOut(Out):
    """A place as it stood at a moment, and why."""

    siret: str
    name: str
    kind: str
    caisse: str
    quartier: str | None
    status: str
    reason: str
    decision: str
    since: str
    approved_under: str | None
    coverage_rate: float
    evaluation: dict[str, Any] | None


class ReplayOut(Out):
    """The registry as it stood at the end of a day."""

    date: str
    criteria_in_force: dict[str, str | None]
    places: list[ReplayPlaceOut]


class WhatIfRow(Out):
    """A place's status today and its evaluation under the chosen version."""

    place: PlaceOut
    result: Evaluation


class WhatIfOut(Out):
    """Every active place evaluated under a criteria version."""

    version: str
    date: str
    rows: list[WhatIfRow]


class ExportRow(Out):
    """An approved place, flat."""

    siret: str
    name: str
    kind: str
    quartier: str
    street: str
    postcode: str
    city: str
    coverage_rate: float
    approved_under: str
    since: str


class ExportOut(Out):
    """Approved places at a date."""

    date: str
    caisse: str | None = Field(default=None, description="La caisse, ou null pour toutes")
    places: list[ExportRow]


class ProposalOut(Out):
    """A proposal: kind, mode, deadline, tally and outcome (provisional while open)."""

    id: str
    caisse: str
    kind: str
    mode: str
    ballot: str
    title: str
    proposer: str
    status: str
    opened: str | None
    deadline: str | None
    closed: str | None
    outcome: str | None
    winner: str | None
    tally: dict[str, Any] | None
    explanation_fr: str | None
    explanation_en: str | None
    provisional: bool


class AmendmentOut(Out):
    """One amendment of an open proposal, and whose counted votes were cast before it."""

    number: int
    note: str
    at: str | None
    by: str
    earlier: list[str] = Field(
        description="Membres dont le vote qui compte a été exprimé avant cet amendement"
    )


class CharterChangeOut(Out):
    """One difference a charter change makes to the version it was opened under, in words."""

    subject: str
    field: str
    before: str
    after: str


class ProposalDetailOut(ProposalOut):
    """A proposal with its text, payload, impact, votes, objections, meetings and effect."""

    charter_version: int = Field(description="Version de la charte sous laquelle elle fut ouverte")
    text: str
    payload: dict[str, Any]
    impact: dict[str, Any] | None
    votes: list[dict[str, Any]]
    objections: list[dict[str, Any]]
    meetings: list[dict[str, Any]]
    effect: dict[str, Any] | None
    history: list[EventOut]
    amendments: list[AmendmentOut]
    charter_changes: list[CharterChangeOut] | None = Field(
        description="Pour une modification de la charte : ce qui change, règle par règle"
    )


class CriteriaProposalIn(BaseModel):
    """A criteria revision to put to the vote."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=5000)
    mode: str | None = Field(default=None, description="consensus, consent ou majority")
    version: CriteriaVersion


class ImpactIn(BaseModel):
    """A criteria version whose impact to preview, without opening anything."""

    model_config = ConfigDict(extra="forbid")

    version: CriteriaVersion


class QuestionIn(BaseModel):
    """An open question, or a poll when it lists options."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(default="", max_length=5000)
    options: list[str] = Field(default_factory=list)
    mode: str | None = None
    ballot: str | None = Field(default=None, pattern="^(single|ranked)$")


class VoteIn(BaseModel):
    """A vote in the proposal's mode; a block or an objection needs a reason."""

    model_config = ConfigDict(extra="forbid")

    choice: str = Field(description="for, against, abstain, block, object ou options")
    reason: str = Field(default="", max_length=2000)
    options: list[str] = Field(default_factory=list)


class MeetingIn(BaseModel):
    """The tally of an in-person vote."""

    model_config = ConfigDict(extra="forbid")

    minutes: str = Field(min_length=1, max_length=500)
    held_on: date
    present: int = Field(ge=1)
    tally: dict[str, Any]


class MemberIn(BaseModel):
    """A new member of a wave; an account is opened for them when a login and password are
    given."""

    model_config = ConfigDict(extra="forbid")

    pseudonym: str = Field(min_length=2, max_length=40)
    roles: list[str] = Field(min_length=1)
    wave: int = Field(ge=1, le=99)
    login: str | None = Field(default=None, description="Identifiant du compte à ouvrir")
    password: str | None = Field(
        default=None, description="Mot de passe du compte à ouvrir (10 caractères au moins)"
    )


class TrainingIn(BaseModel):
    """A training session a member attended."""

    model_config = ConfigDict(extra="forbid")

    session: str = Field(min_length=1, max_length=200)
    on: date


class MemberOut(Out):
    """A member, by pseudonym."""

    pseudonym: str
    caisse: str
    roles: list[str]
    wave: int
    joined: str | None
    trainings: list[dict[str, str]]
    active: bool


class PlaceDecisionIn(BaseModel):
    """A decision on a place, put to the vote."""

    model_config = ConfigDict(extra="forbid")

    siret: str
    action: str = Field(description="approve, refuse, suspend ou withdraw_approval")
    reason: str = Field(min_length=1, max_length=2000)
    title: str | None = Field(default=None, max_length=200)
    mode: str | None = None


class NoteIn(BaseModel):
    """Why: lifting an objection, or withdrawing a proposal."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=2000)


class CharterProposalIn(BaseModel):
    """A new charter version to put to the vote."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=5000, description="Pourquoi changer la charte")
    mode: str | None = Field(
        default=None, description="Un mode que la charte en vigueur permet (défaut : le premier)"
    )
    caisse: str | None = Field(
        default=None, description="Caisse (défaut et seule permise : celle du compte du jeton)"
    )
    charter: CharterTerms = Field(description="La charte proposée, entière (voir GET /charter)")


class AmendmentIn(BaseModel):
    """An amendment to an open proposal: a note, and what changes; the mode stays."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    note: str = Field(min_length=1, max_length=2000, description="Ce qui change, et pourquoi")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    text: str | None = Field(default=None, max_length=5000)
    version: CriteriaVersion | None = Field(
        default=None, description="Révision des critères seulement : la version amendée"
    )
    charter: CharterTerms | None = Field(
        default=None, description="Modification de la charte seulement : la charte amendée"
    )
    options: list[str] | None = Field(
        default=None,
        description="Sondage seulement : toutes les options, celles déjà soumises au vote "
        "et les nouvelles",
    )


class CharterRuleOut(Out):
    """The charter's rule for one kind of question, with French labels."""

    body: str
    modes: list[str]
    quorum: str
    majority: str
    threshold: str
    abstentions: str
    voting_days: int
    training_required: bool
    ballot: str
    kind_fr: str
    body_fr: str
    modes_fr: list[str]


class CharterAdoptionOut(Out):
    """When a charter version was adopted, and by which decision."""

    version: int
    adopted_on: str | None
    decision: str


class CharterOut(Out):
    """The charter in force, every version adopted, and the changes put to the vote."""

    caisse: str
    version: int
    title: str
    notes: str
    rules: dict[str, CharterRuleOut]
    history: list[CharterAdoptionOut]
    terms: CharterTerms = Field(description="La charte en vigueur, prête à être modifiée")
    pending: list[ProposalOut] = Field(description="Modifications de la charte ouvertes au vote")


class RolesIn(BaseModel):
    """A member's new roles."""

    model_config = ConfigDict(extra="forbid")

    roles: list[str] = Field(min_length=1)
    reason: str = Field(default="", max_length=500)


class LeaveIn(BaseModel):
    """A member's departure."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


class TemporaryPasswordOut(Out):
    """A temporary password, shown once; the account's API token is revoked."""

    pseudonym: str
    login: str
    temporary_password: str = Field(description="À remettre en main propre ; affiché une fois")
    token_revoked: bool


class PlaceAccountOut(Out):
    """An account that speaks for a place: its login and name only."""

    login: str
    display_name: str


class PlaceTemporaryPasswordOut(Out):
    """A place account's temporary password, shown once; its API token is revoked."""

    siret: str
    login: str
    temporary_password: str = Field(description="À remettre en main propre ; affiché une fois")
    token_revoked: bool


class AccountOut(Out):
    """The account holding the token."""

    login: str
    role: str
    display_name: str
    pseudonym: str
    sirets: list[str]
    has_token: bool
    caisse: str | None = Field(
        default=None, description="La caisse où ce compte agit (null : aucune de ce registre)"
    )


class TokenOut(Out):
    """A new API token, shown once; only its digest is kept."""

    token: str = Field(description="En-tête « Authorization: Bearer JETON » ; affiché une fois")

"""The demo's governance history holds every mode and kind, adopted and rejected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.cli.governance import GovernedRegistry
from registry.config import Settings
from registry.demo import load_demo
from registry.domain.places import Status
from registry.governance.demo import PARTICIPANT_NAMES
from registry.governance.proposals import State
from registry.governance.rules import Mode, Outcome

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_e33b7b0780be9714.txt"


@pytest.fixture
def demo(settings: Settings) -> Iterator[GovernedRegistry]:
    """The whole demo history, governance included."""
    settings.data.mkdir(parents=True, exist_ok=True)
    app = GovernedRegistry(env=settings.event_store_env())
    load_demo(app)
    app.demo_governance()
    yield app
    app.close()


def test_the_demo_holds_proposals_of_every_mode_and_kind(demo: GovernedRegistry) -> None:
    proposals = demo.proposals("paris-14e")
    assert {p.mode for p in proposals} == set(Mode)
    assert {str(p.kind) for p in proposals} == {
        "criteria_revision",
        "place_decision",
        "charter_change",
        "question",
    }
    outcomes = {p.outcome for p in proposals}
    assert {Outcome.ADOPTED, Outcome.REJECTED, Outcome.CHOSEN} <= outcomes
    assert any(p.state is State.OPEN for p in proposals)
    rejected_kinds = {str(p.kind) for p in proposals if p.outcome is Outcome.REJECTED}
    assert {"place_decision", "charter_change"} <= rejected_kinds


def test_the_seeds_naming_poll_offers_its_seven_names(demo: GovernedRegistry) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert all(name.split(".")[0] in text.lower() for name in PARTICIPANT_NAMES)
    [poll] = [p for p in demo.proposals() if p.payload.get("options") == PARTICIPANT_NAMES]
    assert poll.ballot == "ranked"
    assert poll.outcome is Outcome.CHOSEN
    assert poll.result is not None
    assert poll.result["winner"] == "expérimentateurs"


def test_the_demo_revision_was_adopted_after_an_objection_was_lifted(
    demo: GovernedRegistry,
) -> None:
    [revision] = [
        p for p in demo.proposals() if p.effect and p.effect.get("published_version") == "2025-1"
    ]
    assert revision.mode is Mode.CONSENT
    assert revision.amendments
    assert any(v["lifts"] for v in revision.votes)
    assert revision.charter_version == 2
    decisions = list(demo.repository.event_store.get(demo.criteria_set("paris-14e").id))
    assert decisions[-1].decision == f"proposition {revision.id}"


def test_the_demo_charter_was_blocked_then_changed_by_consensus(demo: GovernedRegistry) -> None:
    changes = [p for p in demo.proposals() if str(p.kind) == "charter_change"]
    assert [p.outcome for p in changes] == [Outcome.REJECTED, Outcome.ADOPTED]
    assert demo.charter("paris-14e").number == 2
    assert str(demo.charter_in_force("paris-14e").rules["criteria_revision"].body) == "participants"


def test_the_demo_place_decisions_cite_their_proposal(demo: GovernedRegistry) -> None:
    decisions = [p for p in demo.proposals() if str(p.kind) == "place_decision"]
    adopted = [p for p in decisions if p.outcome is Outcome.ADOPTED]
    assert adopted
    place = demo.place(adopted[0].payload["siret"])
    assert place.status is Status.SUSPENDED
    assert place.status_decision == f"proposition {adopted[0].id}"
    assert demo.members("paris-14e")
    assert {m.wave for m in demo.members("paris-14e")} == {1, 2}


def test_the_demo_governance_history_is_written_once(demo: GovernedRegistry) -> None:
    stored = demo.recorder.max_notification_id()
    demo.demo_governance()
    assert demo.recorder.max_notification_id() == stored

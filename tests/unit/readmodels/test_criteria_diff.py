"""What changed between two criteria versions, said in French and English."""

from __future__ import annotations

from typing import Any

from policies.seed import SEED_VERSIONS
from registry.readmodels.criteria import diff


def doc(index: int) -> dict[str, Any]:
    return SEED_VERSIONS[index].model_dump(mode="json")


def test_the_first_version_has_no_changes() -> None:
    assert diff(None, doc(0)) == []


def test_the_march_2025_revision_names_each_changed_parameter() -> None:
    changes = diff(doc(0), doc(1))
    assert [(c[0], c[1]) for c in changes] == [
        ("agriculture_paysanne", "params"),
        ("accessibilite", "params"),
    ]
    peasant = changes[0]
    assert "min_share 50 → 60" in peasant[4] and "min_share 50 → 60" in peasant[5]
    assert peasant[2]["min_share"] == 50 and peasant[3]["min_share"] == 60


def test_added_removed_reweighted_criteria_and_a_new_threshold_are_all_listed() -> None:
    before, after = doc(0), doc(0)
    after["criteria"] = [c for c in after["criteria"] if c["key"] != "remuneration_juste"]
    after["criteria"][2] = {**after["criteria"][2], "weight": 3}
    after["criteria"].append({**before["criteria"][0], "key": "nouveau_critere"})
    after["threshold"] = 0.6
    kinds = {(c[0], c[1]) for c in diff(before, after)}
    assert kinds == {
        ("commerce_engage", "weight"),
        ("nouveau_critere", "added"),
        ("remuneration_juste", "removed"),
        ("", "threshold"),
    }


def test_a_criterion_that_becomes_weighted_is_one_change_not_two() -> None:
    before, after = doc(0), doc(0)
    after["criteria"][0] = {**after["criteria"][0], "required": False, "weight": 2}
    changes = diff(before, after)
    assert [(c[0], c[1]) for c in changes] == [("agriculture_paysanne", "required")]
    assert "obligatoire → pondéré ×2" in changes[0][4]

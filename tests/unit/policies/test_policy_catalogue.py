"""The catalogue: every policy documented in French and English, fingerprinted by its source."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from policies.base import Policy, fingerprint_module
from policies.catalogue import CATALOGUE

POLICIES = sorted(CATALOGUE.values(), key=lambda policy: policy.ref)
EXPECTED = {
    "peasant_agriculture@1",
    "proximity@1",
    "engaged_commerce@1",
    "chosen_food@1",
    "accessibility@1",
    "fair_pay@1",
}


def by_ref(policy: Policy) -> str:
    return policy.ref


def test_the_catalogue_holds_the_six_published_policies_under_their_references() -> None:
    assert set(CATALOGUE) == EXPECTED
    assert all(ref == policy.ref for ref, policy in CATALOGUE.items())


@pytest.mark.parametrize("policy", POLICIES, ids=by_ref)
def test_every_policy_has_a_title_and_a_doc_in_french_and_english(policy: Policy) -> None:
    for text in (policy.title_fr, policy.title_en, policy.doc_fr, policy.doc_en):
        assert text.strip()


@pytest.mark.parametrize("policy", POLICIES, ids=by_ref)
def test_every_parameter_of_every_policy_is_documented_in_french(policy: Policy) -> None:
    assert set(policy.param_docs) == set(policy.params_model.model_fields)
    assert all(doc.strip() for doc in policy.param_docs.values())


@pytest.mark.parametrize("policy", POLICIES, ids=by_ref)
def test_a_fingerprint_stays_the_same_for_the_same_source_and_changes_when_it_changes(
    policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Path(policy.module.__file__ or "").read_text(encoding="utf-8")
    same = _load(tmp_path / "same.py", source, monkeypatch)
    edited = _load(
        tmp_path / "edited.py", source.replace("version=1", "version=1 ", 1), monkeypatch
    )
    assert fingerprint_module(same) == policy.fingerprint
    assert fingerprint_module(edited) != policy.fingerprint


def _load(path: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import a copy of a policy module from a file, under a throw-away name."""
    path.write_text(source, encoding="utf-8")
    name = f"policy_copy_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module

"""Fingerprints cover the policies modules a policy imports; reviewed successions keep old ones."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import policies
from policies import fingerprints
from policies.base import Policy, fingerprint_module, imported_policies_modules
from policies.catalogue import CATALOGUE
from policies.engine import check_version, evaluate
from policies.errors import CodedError
from policies.fingerprints import SUCCESSORS, succeeded_by
from policies.seed import SEED_VERSIONS

from .policy_support import ON, declaration

POLICIES = sorted(CATALOGUE.values(), key=lambda policy: policy.ref)
SHARED = {"policies.base", "policies.declaration", "policies.errors"}


def by_ref(policy: Policy) -> str:
    return policy.ref


def source_of(path: str | None) -> str:
    return Path(path or "").read_text(encoding="utf-8")


def load(path: Path, source: str, name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import a module from a source written to a file, under the given name."""
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    if name.startswith("policies."):
        # As the import system does: `from policies import name` then finds it.
        monkeypatch.setattr(policies, name.removeprefix("policies."), module, raising=False)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("policy", POLICIES, ids=by_ref)
def test_a_published_policy_depends_on_the_policies_base_declaration_and_errors(
    policy: Policy,
) -> None:
    assert imported_policies_modules(policy.module) == SHARED


@pytest.mark.parametrize("policy", POLICIES, ids=by_ref)
def test_a_fingerprint_hashes_the_policy_source_then_each_module_it_imports_by_name(
    policy: Policy,
) -> None:
    digest = hashlib.sha256(source_of(policy.module.__file__).encode("utf-8"))
    for name in sorted(SHARED):
        digest.update(f"\0{name}\0{source_of(sys.modules[name].__file__)}".encode())
    assert policy.fingerprint == "sha256:" + digest.hexdigest()


def test_a_fingerprint_changes_when_a_policies_module_the_policy_imports_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helper = 'LABEL = "part paysanne"\n'
    policy = "from policies.shared_helper_copy import LABEL\n\nTITLE = LABEL\n"
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    name = "policies.shared_helper_copy"

    load(tmp_path / "one" / "helper.py", helper, name, monkeypatch)
    before = load(tmp_path / "one" / "policy.py", policy, "policy_copy_one", monkeypatch)
    assert imported_policies_modules(before) == {name}
    fingerprint_before = fingerprint_module(before)

    load(tmp_path / "two" / "helper.py", helper.replace("paysanne", "bio"), name, monkeypatch)
    after = load(tmp_path / "two" / "policy.py", policy, "policy_copy_two", monkeypatch)

    assert fingerprint_module(after) != fingerprint_before
    assert fingerprint_module(before) == fingerprint_before


def test_a_fingerprint_follows_imports_through_the_policies_modules_a_policy_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(tmp_path / "deep.py", "DEPTH = 2\n", "policies.deep_copy", monkeypatch)
    load(tmp_path / "mid.py", "import policies.deep_copy\n", "policies.mid_copy", monkeypatch)
    top = load(tmp_path / "top.py", "from policies import mid_copy\n", "top_copy", monkeypatch)
    assert imported_policies_modules(top) == {"policies.mid_copy", "policies.deep_copy"}


@pytest.mark.parametrize("policy", POLICIES, ids=by_ref)
def test_the_fingerprint_recorded_before_the_declaration_moved_is_that_of_the_one_line_changed(
    policy: Policy,
) -> None:
    source = source_of(policy.module.__file__)
    moved = "\nfrom policies.declaration import "
    assert source.count(moved) == 1
    as_published = source.replace(moved, "\nfrom registry.declaration import ")
    recorded = "sha256:" + hashlib.sha256(as_published.encode("utf-8")).hexdigest()
    assert recorded in SUCCESSORS[policy.ref]
    assert succeeded_by(policy.ref, recorded, policy.fingerprint)


def test_every_succession_leads_to_the_fingerprint_of_a_policy_in_the_catalogue() -> None:
    for ref, successions in SUCCESSORS.items():
        for recorded in successions:
            # If this fails, a policies module a policy imports has changed: that is a new
            # fingerprint, and a new policy version unless a reviewed succession says why not.
            assert succeeded_by(ref, recorded, CATALOGUE[ref].fingerprint), ref


def test_a_version_recorded_with_the_fingerprints_of_before_the_move_still_runs() -> None:
    current = check_version(SEED_VERSIONS[0])
    older = {ref: next(iter(SUCCESSORS[ref])) for ref in current.fingerprints}
    recorded = current.model_copy(update={"fingerprints": older})

    again = evaluate(declaration(), recorded, ON)

    assert again.fingerprints == older
    assert again.results == evaluate(declaration(), current, ON).results
    assert check_version(recorded).fingerprints == current.fingerprints


def test_a_fingerprint_of_another_policy_is_no_succession() -> None:
    current = check_version(SEED_VERSIONS[0])
    other = next(iter(SUCCESSORS["fair_pay@1"]))
    recorded = current.model_copy(update={"fingerprints": {"proximity@1": other}})
    with pytest.raises(CodedError) as refused:
        evaluate(declaration(), recorded, ON)
    assert refused.value.code == "policy_changed"


def test_a_succession_is_followed_link_by_link_and_a_loop_ends_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        fingerprints, "SUCCESSORS", {"p@1": {"a": "b", "b": "c", "x": "y", "y": "x"}}
    )
    assert succeeded_by("p@1", "a", "c")
    assert succeeded_by("p@1", "c", "c")
    assert not succeeded_by("p@1", "c", "a")
    assert not succeeded_by("p@1", "x", "c")
    assert not succeeded_by("q@1", "a", "c")

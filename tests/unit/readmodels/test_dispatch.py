"""Every event class of the domain has its handler in the projection, and its topic."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from registry.readmodels.projection import RegistryProjection

# Where the aggregates live; each package is walked module by module.
PACKAGES = ("registry.domain", "registry.governance")
AGGREGATES = {"Place", "Caisse", "CriteriaSet", "Member", "Charter", "Proposal"}


def _modules(name: str) -> list[ModuleType]:
    package = importlib.import_module(name)
    found = [package]
    for info in pkgutil.iter_modules(package.__path__):
        found.append(importlib.import_module(f"{name}.{info.name}"))
    return found


def aggregates() -> list[type[Aggregate]]:
    """Every aggregate class declared in the domain packages."""
    found: dict[str, type[Aggregate]] = {}
    for name in PACKAGES:
        for module in _modules(name):
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, Aggregate)
                    and obj is not Aggregate
                    and obj.__module__ == module.__name__
                ):
                    found[get_topic(obj)] = obj
    return list(found.values())


def event_classes() -> list[type[Any]]:
    """Every event class declared on an aggregate, but its `Event` and `Created` bases."""
    found = []
    for aggregate in aggregates():
        for name, obj in vars(aggregate).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Aggregate.Event)
                and name not in ("Event", "Created")
            ):
                found.append(obj)
    return found


def handler_of(cls: type[Any]) -> Any:
    dispatcher = inspect.getattr_static(RegistryProjection, "process_event").dispatcher
    return dispatcher.dispatch(cls)


def test_the_domain_is_found_where_it_lives() -> None:
    assert {a.__name__ for a in aggregates()} >= AGGREGATES
    names = {c.__qualname__ for c in event_classes()}
    assert {"Place.Applied", "Proposal.VoteCast", "Proposal.EnactmentImpossible"} <= names


def test_every_event_class_of_the_domain_has_a_handler_of_its_own() -> None:
    default = handler_of(object)
    missing = [c.__qualname__ for c in event_classes() if handler_of(c) is default]
    assert missing == []


def test_every_event_class_of_the_domain_is_among_the_projections_topics() -> None:
    topics = set(RegistryProjection.topics)
    missing = [c.__qualname__ for c in event_classes() if get_topic(c) not in topics]
    assert missing == []


def test_an_event_without_a_handler_is_refused_not_skipped() -> None:
    class Unknown(Aggregate.Event):
        pass

    assert handler_of(Unknown) is handler_of(object)
    projection = RegistryProjection.__new__(RegistryProjection)
    try:
        projection.process_event(object(), None)  # type: ignore[arg-type]
    except TypeError as exc:
        assert "no handler for object" in str(exc)
    else:
        raise AssertionError("an event without a handler was accepted")

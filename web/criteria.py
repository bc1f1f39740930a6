"""The criteria in force, every published version, and what changed between versions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from policies.catalogue import CATALOGUE
from policies.criteria import CriteriaVersion
from registry.clock import local_date, now
from web import caisses, store
from web.criteria_diff import changes

bp = Blueprint("criteria", __name__, url_prefix="/criteres")


def _caisse() -> str:
    """The caisse asked for (`?caisse=`), else the visitor's, else the first."""
    return caisses.chosen_or_404().slug


def policy_info(ref: str) -> dict[str, Any]:
    """A policy's titles and documentation, for explaining a criterion."""
    policy = CATALOGUE.get(ref)
    if policy is None:
        return {"title_fr": ref, "title_en": ref, "doc_fr": "", "doc_en": "", "param_docs": {}}
    return {
        "title_fr": policy.title_fr,
        "title_en": policy.title_en,
        "doc_fr": policy.doc_fr,
        "doc_en": policy.doc_en,
        "param_docs": dict(policy.param_docs),
    }


def _versions(slug: str) -> tuple[list[CriteriaVersion], dict[str, Any], CriteriaVersion | None]:
    criteria = store.registry().criteria_set(slug)
    versions = criteria.versions()
    return versions, criteria.published_on, criteria.in_force(local_date(now()))


@bp.get("/")
def index() -> ResponseReturnValue:
    """The version in force and the list of every version."""
    slug = _caisse()
    versions, published_on, current = _versions(slug)
    return render_template(
        "criteria/index.html",
        caisse=store.registry().caisse(slug),
        caisses=store.registry().caisses(),
        versions=versions,
        published_on=published_on,
        current=current,
        policy_info=policy_info,
    )


@bp.get("/<version>")
def show(version: str) -> ResponseReturnValue:
    """One version, and what changed since the one before."""
    slug = _caisse()
    versions, published_on, current = _versions(slug)
    names = [v.version for v in versions]
    if version not in names:
        abort(404)
    index = names.index(version)
    shown = versions[index]
    previous = versions[index - 1] if index else None
    return render_template(
        "criteria/show.html",
        caisse=store.registry().caisse(slug),
        version=shown,
        previous=previous,
        changes=changes(previous, shown) if previous else [],
        published_on=published_on.get(version),
        is_current=current is not None and current.version == version,
        policy_info=policy_info,
    )

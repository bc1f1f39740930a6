"""Keep the English catalogue in step with the French texts: `python -m web.catalogue`.

Extracts every message of the templates and Python code (French is the source language),
adds the declaration model's French labels (the form is built from them), merges the result
into translations/en/LC_MESSAGES/messages.po, and compiles messages.mo.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PO = HERE / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def model_labels() -> list[str]:
    """The French labels and hints the declaration form shows."""
    from web.declaration_form import SPECS, Spec

    found: list[str] = []

    def walk(specs: list[Spec]) -> None:
        for spec in specs:
            found.append(spec.label)
            if spec.hint:
                found.append(spec.hint)
            walk(spec.children)

    walk(SPECS)
    return list(dict.fromkeys(found))


def template() -> Catalog:
    """Every message to translate."""
    catalog = Catalog(locale="fr", project="ssa-registry", charset="utf-8")
    for filename, lineno, message, comments, _context in extract_from_dir(
        HERE, METHODS, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(f"web/{filename}", lineno)], auto_comments=comments)
    for label in model_labels():
        catalog.add(label, None, [("web/declaration_form.py", 0)])
    return catalog


def read() -> Catalog:
    """The English catalogue."""
    with PO.open("rb") as file:
        return read_po(file, locale="en")


def update() -> None:
    """Merge new messages into the English catalogue and compile it."""
    catalog = read() if PO.exists() else Catalog(locale="en", project="ssa-registry")
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as file:
        write_po(file, catalog, width=100, omit_header=False, sort_output=True)
    with MO.open("wb") as file:
        write_mo(file, catalog)


def missing() -> list[str]:
    """Messages without an English translation."""
    catalog = read()
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template() if m.id}
    gaps = []
    for msgid in sorted(wanted):
        message = catalog.get(msgid)
        strings = message.string if message is not None else ""
        if not message or not all(strings if isinstance(strings, tuple) else (strings,)):
            gaps.append(msgid)
    return gaps


if __name__ == "__main__":
    update()
    gaps = missing()
    print(f"{len(gaps)} message(s) sans traduction anglaise")
    for gap in gaps:
        print(f"  {gap}")
    sys.exit(1 if gaps else 0)

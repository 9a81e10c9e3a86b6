"""Import the NIST CSF 2.0 catalog from NIST's official OSCAL JSON.

Rules (so the output can be re-derived and checked against the OSCAL file):
- Groups of class ``function`` become function nodes; controls of class ``category`` and
  ``subcategory`` become category and subcategory nodes, in document order, parents first.
- IDs come from the ``label`` prop: the code in parentheses for functions and categories
  (``GOVERN (GV)`` → ``GV``), the whole label for subcategories (``GV.OC-01``); the OSCAL ``id``
  is used only when a label is missing.
- ``text`` is the prose of the ``statement`` part (the ``overview`` part for functions); the
  prose of ``example`` parts becomes ``examples``. Text is kept exactly as published.
- The catalog itself is recorded as the framework's ``oscal`` source (document uuid, title,
  version, OSCAL version, published date, file name and SHA-256), so exports can cite it; an
  element whose OSCAL ``id`` differs from its official id is an error, so the node ids are the
  catalog's control ids.
- Elements with the prop ``status: withdrawn`` (CSF 1.1 items) are left out of the framework;
  their ``incorporated_into`` / ``moved_to`` links become the CSF 1.1 → 2.0 crosswalk, whose
  ``source_elements`` carry the withdrawn IDs and their CSF 1.1 statements.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from catalog.models import (
    Crosswalk,
    CrosswalkEntry,
    Framework,
    FrameworkNode,
    OscalSource,
    SourceElement,
)
from errors import ContentError, Problem

FRAMEWORK_ID = "nist-csf-2.0"
CROSSWALK_ID = "csf-1.1-to-csf-2.0"
CSF_PUBLICATION = "NIST CSWP 29, The NIST Cybersecurity Framework (CSF) 2.0, February 2024"
LICENCE = "Public domain (US Government work)"
SUCCESSOR_RELATIONS = ("incorporated_into", "moved_to")
_CODE_IN_LABEL = re.compile(r"\(([A-Z]{2}(?:\.[A-Z]{2})?)\)\s*$")
_NODE_KINDS = {"function": "function", "category": "category", "subcategory": "subcategory"}


@dataclass(frozen=True)
class OscalElement:
    """One OSCAL group or control, flattened: `parent` is the parent's official id."""

    oscal_id: str
    id: str
    kind: str
    parent: str | None
    title: str
    text: str
    examples: tuple[str, ...]
    withdrawn: bool
    links: tuple[tuple[str, str], ...]  # (rel, href as OSCAL id)
    location: str


@dataclass(frozen=True)
class OscalCatalog:
    """What the importer needs from an OSCAL catalog file."""

    path: Path
    sha256: str
    title: str
    version: str
    published: date
    elements: tuple[OscalElement, ...]
    uuid: str = ""
    oscal_version: str = ""


def read_oscal(path: Path) -> OscalCatalog:
    """Read and flatten an OSCAL catalog JSON file; every structural problem is a ContentError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ContentError("not UTF-8", [Problem(f"{path}: byte {exc.start}", "the file is not valid UTF-8")]) from None
    except json.JSONDecodeError as exc:
        raise ContentError(
            "invalid JSON", [Problem(f"{path}: line {exc.lineno}, column {exc.colno}", exc.msg)]
        ) from None
    catalog = document.get("catalog") if isinstance(document, dict) else None
    if not isinstance(catalog, dict):
        raise ContentError("not an OSCAL catalog", [Problem(str(path), "missing top-level 'catalog' object")])
    problems: list[Problem] = []
    metadata = catalog.get("metadata") if isinstance(catalog.get("metadata"), dict) else {}
    published = _published_date(metadata, str(path), problems)
    elements = list(_flatten(catalog, str(path), problems))
    if not elements:
        problems.append(Problem(f"{path}: catalog.groups", "no function groups found"))
    problems += [Problem(f"{path}: {e.location}", f"OSCAL id {e.oscal_id!r} is not the official id {e.id!r}",
                         "exports cite controls by OSCAL id, so the two must agree")
                 for e in elements if not e.withdrawn and e.oscal_id != e.id]
    if problems:
        raise ContentError(f"{len(problems)} problem(s) in OSCAL catalog", problems)
    return OscalCatalog(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=str(metadata.get("title", "")),
        version=str(metadata.get("version", "")),
        published=published,
        elements=tuple(elements),
        uuid=str(catalog.get("uuid", "")),
        oscal_version=str(metadata.get("oscal-version", "")),
    )


def framework_from_oscal(oscal: OscalCatalog) -> Framework:
    """The active CSF 2.0 elements as a `Framework` (withdrawn ones excluded)."""
    nodes = [
        FrameworkNode(
            id=e.id, kind=e.kind, parent=e.parent, title=e.title, text=e.text, examples=e.examples
        )
        for e in oscal.elements
        if not e.withdrawn
    ]
    return Framework(
        id=FRAMEWORK_ID,
        name="NIST Cybersecurity Framework 2.0",
        version="2.0",
        source=f"{CSF_PUBLICATION}; OSCAL catalog {oscal.path.name} (\"{oscal.title}\" v{oscal.version})",
        licence=LICENCE,
        date=oscal.published,
        publisher="National Institute of Standards and Technology (NIST)",
        oscal=OscalSource(catalog_uuid=oscal.uuid, title=oscal.title, version=oscal.version,
                          oscal_version=oscal.oscal_version, published=oscal.published, file=oscal.path.name,
                          sha256=oscal.sha256),
        description=(
            "Generated by `scorecard catalog import-oscal` from NIST's OSCAL catalog "
            f"(sha256 {oscal.sha256}). Functions, categories and subcategories with their official "
            "IDs, outcome statements and implementation examples; CSF 1.1 elements withdrawn in 2.0 are "
            "excluded (see mappings/csf-1.1_to_csf-2.0.yaml). Do not edit by hand: regenerate instead."
        ),
        nodes=tuple(nodes),
    )


def crosswalk_from_oscal(oscal: OscalCatalog) -> Crosswalk:
    """The withdrawn CSF 1.1 elements and the CSF 2.0 elements that replaced them."""
    label_of = {e.oscal_id: e.id for e in oscal.elements}
    withdrawn = [e for e in oscal.elements if e.withdrawn]
    entries = [
        CrosswalkEntry(source=e.id, target=label_of.get(href, href), relationship=rel)
        for e in withdrawn
        for rel, href in e.links
        if rel in SUCCESSOR_RELATIONS
    ]
    no_successor = sorted(e.id for e in withdrawn if not any(r in SUCCESSOR_RELATIONS for r, _ in e.links))
    return Crosswalk(
        id=CROSSWALK_ID,
        name="NIST CSF 1.1 to CSF 2.0: where withdrawn elements went",
        version="2.0",
        source=f"{CSF_PUBLICATION}; OSCAL catalog {oscal.path.name} (\"{oscal.title}\" v{oscal.version}), withdrawn elements and their links",
        licence=LICENCE,
        date=oscal.published,
        description=(
            "Generated by `scorecard catalog import-oscal`. Each CSF 1.1 category or subcategory that "
            "CSF 2.0 withdrew, with NIST's own links: incorporated_into (its outcome is now part of the "
            "target) or moved_to (it now lives under the target's ID). NIST spells CSF 1.1 IDs with two "
            "digits (PR.AC-1 appears as PR.AC-01). CSF 1.1 elements whose ID CSF 2.0 kept are not "
            "listed. Withdrawn with no successor link: " + (", ".join(no_successor) or "none") + "."
        ),
        source_framework="nist-csf-1.1",
        target_framework=FRAMEWORK_ID,
        authored_by="NIST (links as published in the OSCAL catalog)",
        source_elements=tuple(
            SourceElement(id=e.id, kind=e.kind, title=e.title, text=e.text) for e in withdrawn
        ),
        entries=tuple(entries),
    )


# --- flattening -----------------------------------------------------------------------------------


def _flatten(catalog: dict, where: str, problems: list[Problem]) -> Iterator[OscalElement]:
    groups = catalog.get("groups")
    if not isinstance(groups, list):
        problems.append(Problem(f"{where}: catalog.groups", "missing or not a list"))
        return
    for gi, group in enumerate(groups):
        loc = f"catalog.groups[{gi}]"
        element = _element(group, None, f"{where}: {loc}", problems)
        if element is None:
            continue
        yield element
        yield from _controls(group, element, f"{where}: {loc}", problems)


def _controls(owner: dict, parent: OscalElement, loc: str, problems: list[Problem]) -> Iterator[OscalElement]:
    controls = owner.get("controls", [])
    if not isinstance(controls, list):
        problems.append(Problem(f"{loc}.controls", "not a list"))
        return
    for ci, control in enumerate(controls):
        cloc = f"{loc}.controls[{ci}]"
        element = _element(control, parent.id, cloc, problems)
        if element is None:
            continue
        yield element
        yield from _controls(control, element, cloc, problems)


def _element(raw: Any, parent: str | None, loc: str, problems: list[Problem]) -> OscalElement | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        problems.append(Problem(loc, "expected an object with a string 'id'"))
        return None
    kind = _NODE_KINDS.get(raw.get("class", ""))
    if kind is None:
        problems.append(Problem(f"{loc}.class", f"unexpected class {raw.get('class')!r}", "function, category or subcategory"))
        return None
    props = {p.get("name"): p.get("value") for p in raw.get("props", []) if isinstance(p, dict) and p.get("ns") is None}
    parts = [p for p in raw.get("parts", []) if isinstance(p, dict)]
    text_part = "overview" if kind == "function" else "statement"
    texts = [p.get("prose", "") for p in parts if p.get("name") == text_part]
    withdrawn = props.get("status") == "withdrawn"
    if not withdrawn and kind != "function" and not any(texts):
        problems.append(Problem(f"{loc} ({raw['id']})", f"active {kind} has no '{text_part}' prose"))
    links = tuple(
        (str(link.get("rel")), str(link.get("href")).lstrip("#"))
        for link in raw.get("links", [])
        if isinstance(link, dict) and link.get("href")
    )
    official_id = _official_id(props.get("label"), raw["id"], kind)
    title = str(raw.get("title") or official_id)
    return OscalElement(
        oscal_id=raw["id"],
        id=official_id,
        kind=kind,
        parent=parent,
        title=title,
        text=next((t for t in texts if t), ""),
        examples=tuple(p["prose"] for p in parts if p.get("name") == "example" and p.get("prose")),
        withdrawn=withdrawn,
        links=links,
        location=loc,
    )


def _official_id(label: Any, oscal_id: str, kind: str) -> str:
    """`GOVERN (GV)` → `GV`; `Organizational Context (GV.OC)` → `GV.OC`; `GV.OC-01` stays."""
    if not isinstance(label, str) or not label.strip():
        return oscal_id
    if kind == "subcategory":
        return label.strip()
    match = _CODE_IN_LABEL.search(label)
    return match.group(1) if match else oscal_id


def _published_date(metadata: dict, where: str, problems: list[Problem]) -> date:
    stamp = metadata.get("published") or metadata.get("last-modified")
    try:
        return date.fromisoformat(str(stamp)[:10])
    except ValueError:
        problems.append(Problem(f"{where}: catalog.metadata.published", f"not a date: {stamp!r}"))
        return date(1970, 1, 1)

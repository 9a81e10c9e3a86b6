"""Dataset schemas: the canonical fields of each evidence dataset, their types and synonyms.

A schema is code (the shape every reader, validator and metric relies on); thresholds and labels
of the metrics are content (questionnaires/resilience-metrics.yaml).

Field kinds and the type each takes in a normalised frame:
- ``text``   → pandas ``str`` dtype, surrounding spaces removed, blank → missing (NaN)
- ``enum``   → pandas ``Categorical`` whose categories are `FieldSpec.allowed` in that order
- ``bool``   → numpy ``bool`` (blank means false: the "x or blank" check-box convention)
- ``date``   → ``datetime64[s]`` at midnight, blank → NaT
- ``number`` → ``float64``, blank → NaN (numbers are never negative: they are minutes)

Header synonyms and value synonyms are compared after `header_key` / `value_key`, so case, spaces,
``-``, ``_`` and other punctuation never matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from catalog.models import CRITICALITIES
from errors import EvidenceError, Problem

Kind = Literal["text", "enum", "bool", "date", "number"]
LEVELS = CRITICALITIES
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """How headers are compared: lower case, letters and digits only ("Asset-Owner" → "assetowner")."""
    return _NON_ALNUM.sub("", str(text).casefold())


def value_key(text: str) -> str:
    """How enumeration values are compared: like headers ("Full Scale" → "fullscale")."""
    return _NON_ALNUM.sub("", str(text).strip().casefold())


@dataclass(frozen=True)
class FieldSpec:
    """One canonical field. `allowed` lists the canonical values of an enumeration."""

    name: str
    kind: Kind = "text"
    required: bool = False
    unique: bool = False
    allowed: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    value_synonyms: dict[str, str | bool] = field(default_factory=dict)
    description: str = ""
    loose: tuple[str, ...] = ()
    """The synonyms that are generic words ("type", "impact", "id"): a header matched by one of
    them is an assumption the user is shown and can undo (ValidatedDataset.assumptions)."""

    def __post_init__(self) -> None:
        stray = set(self.loose) - set(self.synonyms)
        assert not stray, f"{self.name}: loose synonyms {stray} are not synonyms"


@dataclass(frozen=True)
class DatasetSchema:
    name: str
    title: str
    fields: tuple[FieldSpec, ...]
    description: str = ""
    dated_by: str | None = None
    recency: str | None = None
    """The date field that says which of several rows for one id is the latest (a mapping's
    `repeated_ids: latest`), or None when the file's order decides."""
    """The date field on which a row came into being (an exception opened, an exercise held), or
    None when rows describe the estate as imported. Rows dated after an assessment's as-of date do
    not exist for it (evidence.as_of)."""

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def only(self, names: Iterable[str]) -> DatasetSchema:
        """This schema with only the fields named (in schema order) and its `dated_by` field, which
        the as-of rule reads: for a reader that needs a few columns of a wide dataset."""
        kept = {*names, *([self.dated_by] if self.dated_by else [])}
        unknown = kept - set(self.field_names)
        if unknown:
            raise KeyError(f"{self.name} has no field {', '.join(sorted(unknown))}")
        return replace(self, fields=tuple(f for f in self.fields if f.name in kept))

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @cached_property
    def _index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for spec in self.fields:
            for text in (spec.name, *spec.synonyms):
                index.setdefault(header_key(text), spec.name)
        return index

    def header_index(self) -> dict[str, str]:
        """header_key of each field name and synonym → field name (do not modify)."""
        return self._index

    @cached_property
    def loose_keys(self) -> frozenset[str]:
        """header_keys matched only by a loose synonym (a generic word: an assumption)."""
        return frozenset(header_key(s) for spec in self.fields for s in spec.loose
                         if self._index.get(header_key(s)) == spec.name)

    @property
    def unique_field(self) -> str | None:
        """The field whose values identify a row (asset_id, exception_id...), if any."""
        return next((f.name for f in self.fields if f.unique), None)


def _f(name: str, kind: Kind = "text", **kw) -> FieldSpec:
    return FieldSpec(name=name, kind=kind, **kw)


_SITE = _f("site", synonyms=("plant", "facility", "site name", "plant name"),
           description="Plant, office or other site the row belongs to (free text; used to group metrics).")
_ENV = _f("environment", "enum", allowed=("IT", "OT"),
          synonyms=("env", "it/ot", "domain", "network domain"), loose=("domain", "network domain"),
          value_synonyms={"information technology": "IT", "office": "IT",
                          "operational technology": "OT", "ics": "OT", "plant": "OT"},
          description="IT (office) or OT (plant floor, industrial control).")
_YES = {"pass": True, "passed": True, "fail": False, "failed": False}

ASSET_INVENTORY = DatasetSchema(
    name="asset_inventory",
    title="Asset inventory",
    description="One row per asset (server, PC, PLC, HMI, network device...).",
    recency="last_verified",
    fields=(
        _f("asset_id", required=True, unique=True,
           synonyms=("asset", "asset tag", "tag", "asset number", "asset no", "id", "device id"), loose=("asset", "tag", "id"),
           description="Identifier of the asset, unique in the file."),
        _f("name", synonyms=("asset name", "device name", "hostname", "host name", "device"), loose=("device",),
           description="Human-readable name."),
        _SITE,
        _ENV,
        _f("zone", synonyms=("network zone", "security zone", "purdue level", "purdue zone", "segment"),
           description="Network or security zone (e.g. Purdue level 2, DMZ)."),
        _f("asset_type", synonyms=("type", "device type", "asset class", "class", "category"), loose=("type", "class", "category"),
           description="Kind of asset (PLC, HMI, server...)."),
        _f("vendor", synonyms=("manufacturer", "make", "oem", "supplier"), loose=("supplier",), description="Maker."),
        _f("model", synonyms=("model number", "model no", "product"), loose=("product",), description="Model."),
        _f("firmware_os", synonyms=("firmware", "os", "operating system", "firmware version",
                                    "os version", "software version", "version"), loose=("version", "software version"),
           description="Firmware or operating system and version."),
        _f("support_status", "enum", allowed=("supported", "extended", "unsupported"),
           synonyms=("support", "vendor support", "lifecycle", "lifecycle status", "support state"), loose=("support", "lifecycle"),
           value_synonyms={"end of life": "unsupported", "eol": "unsupported",
                           "extended support": "extended", "in support": "supported"},
           description="Vendor support: supported, extended (paid or limited) or unsupported. Blank: read "
                       "from end_of_support as of the assessment's date."),
        _f("criticality", "enum", allowed=LEVELS,
           synonyms=("crit", "criticality rating", "business criticality", "importance", "tier"), loose=("importance", "tier"),
           description="Consequence of losing the asset. 'critical' assets feed the asset metrics."),
        _f("owner", synonyms=("asset owner", "owner name", "system owner", "responsible", "custodian"), loose=("responsible",),
           description="Person or role accountable for the asset."),
        _f("operational_function", synonyms=("function", "process", "operational role", "purpose", "role"), loose=("function", "process", "purpose", "role"),
           description="What the asset does for production."),
        _f("location", synonyms=("physical location", "area", "room", "production line", "line"), loose=("area", "room", "line"),
           description="Where it physically is."),
        _f("dependencies", synonyms=("depends on", "dependency", "dependent systems", "upstream"), loose=("upstream",),
           description="What the asset needs to work (other assets, services)."),
        _f("data_flows", synonyms=("data flow", "flows", "connections", "interfaces"), loose=("connections", "interfaces"),
           description="Data it sends or receives."),
        _f("recovery_requirement", synonyms=("rto", "recovery time objective", "recovery time",
                                             "recovery objective", "recovery"), loose=("recovery", "recovery time"),
           description="Recovery requirement, e.g. an RTO such as '4 h' (free text)."),
        _f("last_verified", "date", synonyms=("verified", "verified on", "last verified date",
                                              "last seen", "last audit", "last checked"), loose=("verified", "last seen"),
           description="When the row was last checked against reality."),
        _f("end_of_support", "date", synonyms=("end of support", "end of support date", "eos", "eos date",
                                                "end of life date", "eol date", "support end", "support ends",
                                                "end of extended support"),
           description="When vendor support ends (or ended). An asset whose support_status is blank is "
                       "unsupported after this date, as of each assessment's date."),
    ),
)

ACCESS_PATHS = DatasetSchema(
    name="access_paths",
    title="Remote and privileged access paths",
    description="One row per way in: vendor VPN, remote desktop, jump host, privileged or shared account.",
    fields=(
        _f("path_id", required=True, unique=True,
           synonyms=("id", "path", "access path", "access id", "access path id"), loose=("id", "path"),
           description="Identifier of the access path, unique in the file."),
        _SITE,
        _ENV,
        _f("path_type", "enum",
           allowed=("vendor_vpn", "remote_desktop", "jump_host", "privileged_account",
                    "shared_account", "other"),
           synonyms=("type", "access type", "method", "access method"), loose=("type", "method"),
           value_synonyms={"vpn": "vendor_vpn", "rdp": "remote_desktop", "jump server": "jump_host",
                           "bastion": "jump_host", "admin account": "privileged_account"},
           description="Kind of path."),
        _f("privileged", "bool", synonyms=("privileged access", "is privileged", "admin", "elevated"), loose=("admin", "elevated"),
           description="Gives administrative or engineering control."),
        _f("approved", "bool", synonyms=("authorised", "authorized", "approval"), loose=("approval",),
           description="Formally approved by its owner."),
        _f("mfa", "bool", synonyms=("2fa", "multi factor", "multi factor authentication", "two factor"),
           description="Protected by multi-factor authentication."),
        _f("time_limited", "bool", synonyms=("time bound", "time restricted", "just in time", "jit"),
           description="Enabled only for a limited time window."),
        _f("individually_attributed", "bool",
           synonyms=("named account", "individual account", "attributed", "individual", "named user"), loose=("attributed", "individual"),
           description="Every use is tied to one named person."),
        _f("monitored", "bool", synonyms=("monitoring", "logged", "session recording", "recorded"), loose=("monitoring", "logged", "recorded"),
           description="Sessions are logged or recorded and reviewed."),
        _f("owner", synonyms=("path owner", "access owner", "responsible"), loose=("responsible",),
           description="Person or role accountable for the path."),
    ),
)

ZONE_BOUNDARIES = DatasetSchema(
    name="zone_boundaries",
    title="Zone boundaries (conduits)",
    description="One row per boundary between two network zones, e.g. IT ↔ OT DMZ.",
    recency="last_reviewed",
    fields=(
        _f("boundary_id", required=True, unique=True,
           synonyms=("id", "boundary", "conduit", "conduit id"), loose=("id",),
           description="Identifier of the boundary, unique in the file."),
        _SITE,
        _f("from_zone", synonyms=("source zone", "from", "source"), loose=("from", "source"), description="Zone on one side."),
        _f("to_zone", synonyms=("destination zone", "target zone", "to", "destination"), loose=("to", "destination"),
           description="Zone on the other side."),
        _f("critical", "bool", synonyms=("critical boundary", "is critical"),
           description="Crossing it reaches critical process control."),
        _f("monitored", "bool", synonyms=("monitoring", "logged"), loose=("monitoring", "logged"),
           description="Traffic across it is monitored."),
        _f("enforced", "bool", synonyms=("enforcement", "filtered"), loose=("filtered",),
           description="Traffic is filtered to an allow-list."),
        _f("last_reviewed", "date", synonyms=("reviewed", "last review", "reviewed on"), loose=("reviewed",),
           description="When its rules were last reviewed."),
    ),
)

EXCEPTIONS = DatasetSchema(
    name="exceptions",
    title="Security exceptions (risk acceptances)",
    description="One row per accepted deviation from policy.",
    dated_by="opened",
    recency="opened",
    fields=(
        _f("exception_id", required=True, unique=True,
           synonyms=("id", "exception", "exception number", "waiver id", "ref", "reference"), loose=("id", "exception", "ref", "reference"),
           description="Identifier of the exception, unique in the file."),
        _f("title", synonyms=("summary", "subject"), description="Short description."),
        _f("owner", synonyms=("risk owner", "exception owner", "responsible"), loose=("responsible",),
           description="Person accountable for the accepted risk."),
        _f("risk_rating", "enum", allowed=LEVELS,
           synonyms=("risk", "rating", "risk level", "severity", "residual risk"), loose=("risk", "rating", "severity"),
           description="Rating of the accepted risk."),
        _f("business_impact", synonyms=("impact",), loose=("impact",), description="What the risk could do to the business."),
        _f("opened", "date", required=True,
           synonyms=("opened on", "open date", "date opened", "created", "raised", "start date"), loose=("created", "raised", "start date"),
           description="When the exception was granted."),
        _f("review_date", "date", synonyms=("review", "next review", "review by", "due date"), loose=("review", "due date"),
           description="When it must be reviewed again."),
        _f("status", "enum", allowed=("open", "closed"), synonyms=("state",), loose=("state",),
           value_synonyms={"active": "open", "expired": "open", "resolved": "closed", "retired": "closed"},
           description="open or closed; blank counts as open (nobody closed it)."),
        _f("justification", synonyms=("reason", "rationale", "business justification"), loose=("reason",),
           description="Why the risk is accepted."),
        _f("monitoring_plan", synonyms=("monitoring", "monitoring plan"), loose=("monitoring",),
           description="How the exposure is watched meanwhile."),
        _f("compensating_controls", synonyms=("compensating control", "mitigations", "mitigation"), loose=("mitigation", "mitigations"),
           description="Controls that reduce the risk meanwhile."),
    ),
)

EXERCISES = DatasetSchema(
    name="exercises",
    title="Incident response exercises",
    description="One row per exercise, with the times measured in it (minutes from its start).",
    dated_by="date",
    recency="date",
    fields=(
        _f("exercise_id", required=True, unique=True, synonyms=("id", "exercise", "reference"), loose=("id", "exercise", "reference"),
           description="Identifier of the exercise, unique in the file (an event-level timeline is turned "
                       "into one row per exercise by the mapping's `timeline`)."),
        _f("date", "date", required=True, synonyms=("exercise date", "held on", "conducted on"),
           description="When it was held."),
        _f("scenario", synonyms=("scenario name", "title"), loose=("title",), description="What was rehearsed."),
        _f("exercise_type", "enum", allowed=("tabletop", "functional", "full_scale"),
           synonyms=("type", "format", "exercise format"), loose=("type", "format"),
           value_synonyms={"ttx": "tabletop", "table top exercise": "tabletop", "live": "full_scale",
                           "full": "full_scale"},
           description="tabletop, functional or full_scale."),
        _f("detect_minutes", "number", synonyms=("time to detect", "ttd", "detect", "detection minutes"), loose=("detect",),
           description="Minutes until the incident was detected."),
        _f("escalate_minutes", "number", synonyms=("time to escalate", "escalate", "escalation minutes"), loose=("escalate",),
           description="Minutes from detection until escalation to the incident lead."),
        _f("contain_minutes", "number", synonyms=("time to contain", "ttc", "contain", "containment minutes"), loose=("contain",),
           description="Minutes until the incident was contained."),
        _f("recover_minutes", "number", synonyms=("time to recover", "ttr", "recover", "recovery minutes"), loose=("recover",),
           description="Minutes until normal operation was restored."),
    ),
)

RESTORE_TESTS = DatasetSchema(
    name="restore_tests",
    title="Restore tests",
    description="One row per test restore of a backup, configuration, controller logic or image.",
    dated_by="date",
    fields=(
        _f("test_id", required=True, synonyms=("id", "test", "reference"), loose=("id", "test", "reference"), description="Identifier of the test."),
        _f("date", "date", required=True, synonyms=("test date", "tested on"), description="When it was run."),
        _f("item_id", synonyms=("asset id", "asset", "item", "system id"), loose=("asset", "item"),
           description="What was restored; matches asset_id of the inventory."),
        _f("item_type", "enum",
           allowed=("backup", "configuration", "controller_logic", "golden_image", "other"),
           synonyms=("type", "restore type", "backup type"), loose=("type", "restore type", "backup type"),
           value_synonyms={"config": "configuration", "plc logic": "controller_logic",
                           "plc program": "controller_logic", "image": "golden_image"},
           description="Kind of item restored."),
        _f("critical", "bool", synonyms=("critical item", "is critical"),
           description="The item is critical (only critical items feed the restore metrics)."),
        _f("success", "bool", synonyms=("result", "outcome", "succeeded", "passed", "successful"), loose=("result", "outcome"),
           value_synonyms={**_YES, "success": True, "succeeded": True, "failure": False},
           description="The restore worked and was verified."),
        _f("restore_minutes", "number", synonyms=("restore time", "time to restore", "duration",
                                                  "duration minutes", "minutes"), loose=("duration", "minutes"),
           description="Minutes the restore took."),
    ),
)

DATASETS: dict[str, DatasetSchema] = {
    s.name: s
    for s in (ASSET_INVENTORY, ACCESS_PATHS, ZONE_BOUNDARIES, EXCEPTIONS, EXERCISES, RESTORE_TESTS)
}


def get_schema(name: str) -> DatasetSchema:
    """The schema of a dataset; an EvidenceError names the known datasets otherwise."""
    try:
        return DATASETS[name]
    except KeyError:
        raise EvidenceError(
            f"unknown dataset '{name}'",
            [Problem("", f"known datasets: {', '.join(DATASETS)}")],
        ) from None

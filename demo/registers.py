"""Registers a plant keeps that describe its estate as of a quarter: asset inventory, access paths,
zone boundaries. Deterministic: the same estate and quarter always give the same rows.

Each asset/path/boundary has fixed traits (drawn once per estate) and a fixed "diligence" draw u;
a quality field is filled when u is below a probability that grows with the quarter's maturity.
So as maturity rises the same records become complete, and when it falls (Lakeside) some go stale,
which is what a real register does.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta

import numpy as np
import pandas as pd

from demo.story import QUARTERS, Estate, label, maturity

IT_TYPES = ("server", "workstation", "laptop", "network switch", "firewall", "storage array", "hypervisor")
OT_TYPES = ("PLC", "HMI", "SCADA server", "historian", "engineering workstation", "drive", "robot controller", "safety PLC", "RTU")
IT_VENDORS = ("Dell", "HPE", "Lenovo", "Cisco", "Fortinet", "NetApp", "VMware")
OT_VENDORS = ("Siemens", "Rockwell Automation", "Schneider Electric", "ABB", "Beckhoff", "Mitsubishi Electric", "Honeywell")
IT_ZONES = ("Corporate LAN", "Data centre", "IT DMZ")
OT_ZONES = ("Level 1 control", "Level 2 supervisory", "Level 3 site operations", "OT DMZ")
OT_OS = ("S7-1500 FW 2.9", "ControlLogix v33", "Windows 10 LTSC", "Windows 7 SP1", "Windows XP SP3", "Linux 4.19", "VxWorks 6.9")
IT_OS = ("Windows Server 2022", "Windows Server 2016", "Windows 11", "RHEL 9", "Ubuntu 22.04", "FortiOS 7.4", "IOS-XE 17")
OWNERS_IT = ("IT infrastructure", "Service desk", "Network team", "ERP team")
OWNERS_OT = ("OT engineering", "Maintenance", "Production", "Quality")
CRITICALITY = (("critical", 0.12), ("high", 0.23), ("medium", 0.35), ("low", 0.30))


def rng(*parts: object) -> np.random.Generator:
    """A generator seeded by the given parts (stable across runs and platforms)."""
    return np.random.default_rng(zlib.crc32("|".join(map(str, parts)).encode()))


def asset_count(estate: Estate, quarter: int) -> int:
    return int(estate.assets * (1 + 0.015 * quarter))


def asset_inventory(estate: Estate, quarter: int, as_of: date) -> pd.DataFrame:
    n = asset_count(estate, len(QUARTERS) - 1)  # traits are drawn once, for the largest estate
    r = rng(estate.key, "assets")
    ot = r.random(n) < estate.ot_share
    kinds = r.choice([c for c, _ in CRITICALITY], size=n, p=[p for _, p in CRITICALITY])
    u_owner, u_deps, u_rec, u_support, u_seen = (r.random(n) for _ in range(5))
    it_type, ot_type = r.choice(IT_TYPES, n), r.choice(OT_TYPES, n)
    it_vendor, ot_vendor = r.choice(IT_VENDORS, n), r.choice(OT_VENDORS, n)
    it_zone, ot_zone = r.choice(IT_ZONES, n), r.choice(OT_ZONES, n)
    it_os, ot_os = r.choice(IT_OS, n), r.choice(OT_OS, n)
    it_owner, ot_owner = r.choice(OWNERS_IT, n), r.choice(OWNERS_OT, n)
    age_days = r.integers(0, 720, n)
    take = asset_count(estate, quarter)
    m = np.where(ot, maturity(estate, quarter, "OT"), maturity(estate, quarter, "IT"))[:take]
    ot, kinds = ot[:take], kinds[:take]
    critical = kinds == "critical"
    # Critical assets get attention first; everything else is documented less.
    # One diligence draw per asset: a record kept by a careful owner tends to be complete.
    documented = np.clip(0.10 + 0.22 * m + np.where(critical, 0.0, -0.2), 0.02, 0.99)
    u_doc = u_owner[:take]
    has_owner = u_doc < documented + 0.08
    has_deps = (u_doc < documented) | (u_deps[:take] < 0.02)
    has_rec = (u_doc < documented - 0.02) | (u_rec[:take] < 0.02)
    unsupported = u_support[:take] < np.clip(0.42 - 0.08 * m + np.where(ot, 0.08, 0.0), 0.01, 0.6)
    extended = ~unsupported & (u_support[:take] < np.clip(0.55 - 0.08 * m + np.where(ot, 0.08, 0.0), 0.02, 0.7))
    where = label(estate)
    ids = np.char.add(f"{estate.key[:3].upper()}-", np.char.zfill(np.arange(1, take + 1).astype(str), 5))
    types = np.where(ot, ot_type[:take], it_type[:take])
    owner = np.where(ot, ot_owner[:take], it_owner[:take])
    seen = [as_of - timedelta(days=int(d * (1.6 - 0.25 * lvl))) for d, lvl in zip(u_seen[:take] * 300, m, strict=True)]
    return pd.DataFrame({
        "asset_id": ids,
        "name": [f"{t.lower().replace(' ', '-')}-{i:05d}" for i, t in enumerate(types, start=1)],
        "site": where,
        "environment": np.where(ot, "OT", "IT"),
        "zone": np.where(ot, ot_zone[:take], it_zone[:take]),
        "asset_type": types,
        "vendor": np.where(ot, ot_vendor[:take], it_vendor[:take]),
        "firmware_os": np.where(ot, ot_os[:take], it_os[:take]),
        "support_status": np.where(unsupported, "unsupported", np.where(extended, "extended", "supported")),
        "criticality": kinds,
        "owner": np.where(has_owner, owner, ""),
        "operational_function": np.where(ot, "production", "business services"),
        "location": [f"{where} / {'Hall' if o else 'Room'} {1 + a % 6}" for o, a in zip(ot, age_days[:take], strict=True)],
        "dependencies": np.where(has_deps, np.where(ot, "historian; engineering workstation", "AD; DNS; backup"), ""),
        "recovery_requirement": np.where(has_rec, np.where(critical, "RTO 4h", "RTO 24h"), ""),
        "last_verified": [d.isoformat() for d in seen],
    })


def access_paths(estate: Estate, quarter: int) -> pd.DataFrame:
    base = estate.access_paths
    m_ot = maturity(estate, quarter, "OT") if estate.scope != "IT" else maturity(estate, quarter, "IT")
    # Vendor access sprawls when OT maturity drops below 3 (Lakeside's regression).
    n = int(base * (1 + 0.18 * max(0.0, 3.0 - m_ot)))
    r = rng(estate.key, "access")
    size = int(base * 1.6)
    ot = r.random(size) < (0.55 if estate.scope != "IT" else 0.0)
    kinds = r.choice(("vendor_vpn", "remote_desktop", "jump_host", "privileged_account", "shared_account", "other"),
                     size=size, p=(0.22, 0.18, 0.12, 0.3, 0.1, 0.08))
    u = r.random((5, size))
    ot, kinds, u = ot[:n], kinds[:n], u[:, :n]
    m = np.where(ot, m_ot, maturity(estate, quarter, "IT"))
    shared = kinds == "shared_account"
    # A path is governed as a whole or not; the flags of an ungoverned path are a mixed bag.
    governed = u[0] < np.clip(0.05 + 0.2 * m, 0.02, 0.97)
    flags = {
        "approved": governed | (u[1] < 0.6),
        "mfa": governed | (u[2] < 0.35),
        "time_limited": governed | (u[3] < 0.25),
        "individually_attributed": (governed | (u[4] < 0.5)) & ~shared,
        "monitored": governed | (u[1] > 0.7),
    }
    return pd.DataFrame({
        "path_id": [f"{estate.key[:3].upper()}-AP-{i:04d}" for i in range(1, n + 1)],
        "site": label(estate),
        "environment": np.where(ot, "OT", "IT"),
        "path_type": kinds,
        "privileged": np.isin(kinds, ("privileged_account", "jump_host", "shared_account")),
        **{k: np.where(v, "yes", "no") for k, v in flags.items()},
        "owner": np.where(ot, "OT engineering", "IT security"),
    })


def zone_boundaries(estate: Estate, quarter: int, as_of: date) -> pd.DataFrame:
    n = estate.boundaries
    r = rng(estate.key, "boundaries")
    zones = OT_ZONES + IT_ZONES if estate.scope != "IT" else IT_ZONES + ("Internet", "Cloud")
    pairs = [(zones[i % len(zones)], zones[(i * 3 + 1) % len(zones)]) for i in range(n)]
    critical = r.random(n) < 0.45
    u_mon, u_enf, u_rev = r.random(n), r.random(n), r.random(n)
    m = maturity(estate, quarter, "OT" if estate.scope != "IT" else "IT")
    return pd.DataFrame({
        "boundary_id": [f"{estate.key[:3].upper()}-ZB-{i:03d}" for i in range(1, n + 1)],
        "site": label(estate),
        "from_zone": [a for a, _ in pairs],
        "to_zone": [b for _, b in pairs],
        "critical": np.where(critical, "yes", "no"),
        "monitored": np.where(u_mon < np.clip(0.12 + 0.18 * m + 0.1 * critical, 0, 0.99), "yes", "no"),
        "enforced": np.where(u_enf < np.clip(0.40 + 0.12 * m, 0, 0.99), "yes", "no"),
        "last_reviewed": [(as_of - timedelta(days=int(30 + v * 500 / (1 + m)))).isoformat() for v in u_rev],
    })

"""The files of the evidence benchmark (bench/evidence.py): a realistic asset inventory of any size,
as CSV or XLSX (synonym headers, mixed-case enumerations, blanks, ISO dates, identifiers in no
particular order), deterministic for a seed, cached in a folder between runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HEADERS = ["Asset ID", "Device Name", "Plant", "Environment", "Zone", "Asset Type", "Vendor", "Model",
           "Firmware", "Support Status", "Criticality", "Asset Owner", "Function", "Location",
           "Depends on", "Data Flows", "RTO", "Last Verified"]


def build_frame(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(values, p=None):
        return rng.choice(np.array(values, dtype=object), rows, p=p)

    dates = pd.date_range("2024-01-01", periods=900).strftime("%Y-%m-%d").to_numpy(dtype=object)
    ids = rng.permutation(rows)  # not sorted by id: the uniqueness check must hash every id
    return pd.DataFrame({
        "Asset ID": [f"AS-{i:07d}" for i in ids],
        "Device Name": [f"node-{i}" for i in range(rows)],
        "Plant": pick(["North", "South", "East", "West", "HQ"]),
        "Environment": pick(["IT", "OT", "ot", " OT "]),
        "Zone": pick(["L1", "L2", "L3", "DMZ", "Corporate"]),
        "Asset Type": pick(["PLC", "HMI", "Server", "Workstation", "Switch"]),
        "Vendor": pick(["Siemens", "Rockwell", "Schneider", "Dell", "Cisco"]),
        "Model": pick(["S7-1500", "1756-L8", "M580", "R740", "C9300"]),
        "Firmware": pick(["v2.9", "v33", "Windows 10", "RHEL 8", "17.9"]),
        "Support Status": pick(["supported", "Extended", "unsupported", "end of life"]),
        "Criticality": pick(["Critical", "high", "Medium", "low"], p=[0.2, 0.3, 0.3, 0.2]),
        "Asset Owner": pick(["Plant ops", "IT ops", "OT engineering", ""], p=[0.3, 0.3, 0.3, 0.1]),
        "Function": pick(["Filling", "Packaging", "Mixing", ""]),
        "Location": pick(["Line 1", "Line 2", "Utilities", "Server room"]),
        "Depends on": pick(["AS-0000001", "AS-0000002;AS-0000003", ""], p=[0.45, 0.45, 0.1]),
        "Data Flows": pick(["to historian", "to MES", ""]),
        "RTO": pick(["4 h", "24 h", "72 h", ""], p=[0.3, 0.3, 0.3, 0.1]),
        "Last Verified": pick(list(dates)),
    })


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inventory")
    sheet.append(["Asset inventory (benchmark)"])  # a title row above the header
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    workbook.save(path)


def csv_file(folder: Path, rows: int) -> Path:
    """The CSV inventory of `rows` rows in `folder` (written once, then reused)."""
    path = folder / f"inventory-{rows}.csv"
    if not path.exists():
        build_frame(rows).to_csv(path, index=False)
    return path


def xlsx_file(folder: Path, rows: int) -> Path:
    """The XLSX inventory of `rows` rows (a title row above the header) in `folder`."""
    path = folder / f"inventory-{rows}.xlsx"
    if not path.exists():
        write_xlsx(build_frame(rows, seed=8), path)
    return path

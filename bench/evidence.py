"""Benchmark of evidence import + metrics against a bare read of the same file.

Builds, in a temporary folder, a realistic 1,000,000-row asset inventory CSV (synonym headers,
mixed-case enumerations, blanks, ISO dates, identifiers in no particular order) and a 100,000-row XLSX of the same shape, then times:
- baseline: a bare `pandas.read_csv(path)` / `pandas.read_excel(path, engine="calamine")`;
- ours: `read_dataset(path, "asset_inventory")` (hostile-file checks, header matching, typed
  validation of every cell, problems) + `compute_metrics` of all metrics as of a date;
- ours with mapping rules (the CSV only): the same with a mapping using the rules of issue 15 —
  a row filter, a constant, a default, a field read `from` a column with its own value map, an
  explicit date format and `repeated_ids: latest` (MAPPED below).
Both run alternately `--repeat` times in this process (the ratio is the median of the paired
ratios, so background load hits both sides alike; the CPU-time ratio is printed too); peak
memory is the peak RSS of a fresh child process doing only that one job. Goal (issue 3): ours ≤ 2.5× the baseline, and under
1.5 GB peak for the million rows.

Run: .venv/bin/python bench/evidence.py [--rows 1000000] [--xlsx-rows 100000] [--repeat 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

AS_OF = dt.date(2026, 11, 25)
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


def baseline(path: Path) -> None:
    if path.suffix == ".csv":
        pd.read_csv(path)
    else:
        pd.read_excel(path, engine="calamine", header=1)


MAPPED = b"""
columns: {"Environment": ~}
fields:
  environment: {from: Zone, values: {L1: OT, L2: OT, L3: OT, DMZ: OT, Corporate: IT}}
  site: {default: Plant HQ}
  criticality: {from: Criticality, values: {"critical": critical, "*": ~}, default: low}
  support_status: {default: supported}
where: {"Asset Type": {not: [Printer]}}
date_format: "%Y-%m-%d"
repeated_ids: latest
"""


def ours(path: Path, mapped: bool = False) -> dict:
    from evidence.dataset import read_dataset
    from evidence.mapping import parse_mapping
    from evidence.metrics import compute_metrics
    from evidence.schemas import get_schema
    from services.content import get_catalog

    mapping = parse_mapping(MAPPED, get_schema("asset_inventory"), "bench.yaml") if mapped else None
    result = read_dataset(path, "asset_inventory", mapping)
    metrics = compute_metrics({"asset_inventory": result.accepted()}, AS_OF, get_catalog().metric_definitions())
    return {"rows": result.kept_rows, "documented": metrics.metrics["critical_asset_documentation_pct"].value}


def ours_mapped(path: Path) -> dict:
    return ours(path, mapped=True)


def paired_runs(repeat: int, path: Path, job=None) -> dict:
    """Baseline and ours alternately, `repeat` times: wall and CPU seconds of each run.

    Alternating keeps both sides under the same background load (the machine is shared); the
    ratio reported is the median of the per-pair ratios, and the CPU-time ratio is given too."""
    runs = {"base_wall": [], "base_cpu": [], "ours_wall": [], "ours_cpu": []}
    for _ in range(repeat):
        for side, run in (("base", baseline), ("ours", job or ours)):
            wall, cpu = time.perf_counter(), time.process_time()
            run(path)
            runs[f"{side}_wall"].append(time.perf_counter() - wall)
            runs[f"{side}_cpu"].append(time.process_time() - cpu)
    return runs


def peak_mb(kind: str, path: Path) -> float:
    """Peak RSS (MB, VmHWM) of a fresh process running only `kind` on `path`.

    VmHWM rather than ru_maxrss: the latter survives exec, so a child forked from this (large)
    process would report the parent's size."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
            f"import bench.evidence as b; b.{kind}(Path({str(path)!r})); "
            "print([int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0] / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def measure(path: Path, repeat: int, mapped: bool = False) -> dict:
    job = ours_mapped if mapped else ours
    job(path)  # warm imports and the catalog cache
    runs = paired_runs(repeat, path, job)
    wall = statistics.median(o / b for o, b in zip(runs["ours_wall"], runs["base_wall"], strict=True))
    cpu = statistics.median(o / b for o, b in zip(runs["ours_cpu"], runs["base_cpu"], strict=True))
    return {"file": path.name + (" +rules" if mapped else ""), "size_mb": round(path.stat().st_size / 1024**2, 1),
            "baseline_s": round(min(runs["base_wall"]), 3), "ours_s": round(min(runs["ours_wall"]), 3),
            "ratio": round(wall, 2), "cpu_ratio": round(cpu, 2),
            "peak_mb_baseline": round(peak_mb("baseline", path)), "peak_mb_ours": round(peak_mb(job.__name__, path))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dir", type=Path, help="Keep the generated files in this folder and reuse them.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, xlsx_path = folder / f"inventory-{args.rows}.csv", folder / f"inventory-{args.xlsx_rows}.xlsx"
        started = time.perf_counter()
        if not csv_path.exists():
            build_frame(args.rows).to_csv(csv_path, index=False)
        if not xlsx_path.exists():
            write_xlsx(build_frame(args.xlsx_rows, seed=8), xlsx_path)
        print(f"files ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        results = [measure(csv_path, args.repeat), measure(csv_path, args.repeat, mapped=True), measure(xlsx_path, args.repeat)]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'file':<30}{'MB':>7}{'bare read s':>13}{'import+metrics s':>18}{'ratio':>8}{'CPU ratio':>11}"
          f"{'peak MB bare':>14}{'peak MB ours':>14}")
    for r in results:
        print(f"{r['file']:<30}{r['size_mb']:>7}{r['baseline_s']:>13}{r['ours_s']:>18}{r['ratio']:>7}x{r['cpu_ratio']:>10}x"
              f"{r['peak_mb_baseline']:>14}{r['peak_mb_ours']:>14}")
    print("times: fastest run; ratios: median of paired runs. Goal: ratio ≤ 2.5x; peak ≤ 1536 MB for the CSV")


if __name__ == "__main__":
    main()

"""Benchmark of loading the whole content catalog (frameworks, crosswalks, metrics, questionnaires).

Measures, as medians of repeated runs in one process:
- load_catalog: what the app and CLI pay at start (safe YAML parse with bomb/depth/duplicate-key
  checks, pydantic validation with extra="forbid", cross-reference checks);
- the same files parsed with plain `yaml.load(CSafeLoader)` (libyaml, no checks): the baseline,
  the least any YAML-based loader must pay;
- the same files parsed with pure-Python `yaml.safe_load`: what a naive loader would pay;
- pydantic validation alone, on already-parsed data.
Figures are printed in milliseconds and as ratios against the baseline. Goal: load_catalog well
under one second (PASS below 1000 ms).

Run: .venv/bin/python bench/catalog_load.py [--repeat N] [--content DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from catalog.loader import MODELS_BY_KIND, content_files, load_catalog  # noqa: E402

GOAL_MS = 1000.0


def _fast_parse(text: str):
    """libyaml safe parse without any of the loader's checks (the baseline)."""
    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--content", type=Path, default=ROOT)
    args = parser.parse_args()

    files = content_files(args.content)
    texts = [p.read_text(encoding="utf-8") for p in files]
    parsed = [_fast_parse(t) for t in texts]

    def validate_only() -> None:
        for data in parsed:
            MODELS_BY_KIND[data["kind"]].model_validate(data)

    figures = {
        "baseline: libyaml parse, no checks": _median_ms(lambda: [_fast_parse(t) for t in texts], args.repeat),
        "load_catalog (checked, validated, cross-referenced)": _median_ms(lambda: load_catalog(args.content), args.repeat),
        "pydantic validation alone": _median_ms(validate_only, args.repeat),
        "pure-Python yaml.safe_load, no checks": _median_ms(lambda: [yaml.safe_load(t) for t in texts], max(3, args.repeat // 2)),
    }
    size_kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    catalog = load_catalog(args.content)
    nodes = sum(len(f.nodes) for f in catalog.frameworks.values())
    questions = sum(len(q.questions) for q in catalog.questionnaires.values())
    print(f"{len(files)} files, {size_kb:.0f} KiB, {nodes} framework nodes, {questions} questions (median of {args.repeat})")
    baseline = next(iter(figures.values()))
    for name, ms in figures.items():
        print(f"  {name:<55} {ms:8.1f} ms  {ms / baseline:6.2f}x baseline")
    loaded = figures["load_catalog (checked, validated, cross-referenced)"]
    print(f"  load_catalog goal < {GOAL_MS:.0f} ms: {'PASS' if loaded < GOAL_MS else 'FAIL'}")


if __name__ == "__main__":
    main()

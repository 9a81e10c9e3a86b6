"""Benchmark of the enterprise path to target at scale (issue 16): `Projector.values()` and the
enterprise report's context on the cached scale organisations (bench/scale_data.py).

Figures in seconds (medians of --runs), each beside its baseline measured in the same run:
- values(): a fresh Projector over the enterprise's members and all their actions (nothing
  remembered from an earlier run) projects every quarter and values every open action;
- the baseline is the same Projector scoring the way it did before scoring.variants: a full
  `scoring.score()` of the hypothetical responses and metrics for every site at every point and
  for every action's value (`FullScoring` below); the two roadmaps are compared, and any
  difference is printed (there must be none);
- one full `score()` of the largest member: the unit the baseline is made of;
- the enterprise report's view-model built in-process (services.enterprise_report, never the
  stored copy of services.stored_views: nothing is written to the cached database), with the
  projector as it is and with the baseline's (services.plans builds the projector; the bench swaps
  its class for the baseline run).
Figures only, no goal: the projection's goal is to be a small part of the report's.

    .venv/bin/python bench/projection.py                 # 20 sites (built on first use, ~15 s)
    .venv/bin/python bench/projection.py --sites 200     # only when the 200-site cache exists

The 200-site organisation (200 plants × 4 quarters) is read from the cache and never built here
(bench/scale.py builds it; about ten minutes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale_data import cache_folder, generator_hash, organisation_url  # noqa: E402
from scoring import score  # noqa: E402
from scoring.plan_schedule import hypothetical_metrics, hypothetical_responses  # noqa: E402
from scoring.projection import Projector  # noqa: E402
from scoring.variants import Variants  # noqa: E402

QUARTERS = {20: 2, 200: 4}
"""--sites → quarters of the cached organisation (bench/scale.py builds 200 × 4)."""


class FullScoring(Variants):
    """Every variant scored from scratch by `scoring.score()` (the path before scoring.variants)."""

    def scorecard(self, done, *, headline: bool = False):
        s = self.subject
        return score(s.questionnaire, s.csf, s.cpg, hypothetical_responses(s, done), hypothetical_metrics(s, done),
                     scope=s.scope, as_of=s.as_of, definitions=s.definitions, policy=self.policy)

    def verified(self, done):
        return self.scorecard(done).overall.verified


class FullProjector(Projector):
    """The baseline: the same projection with every variant fully scored."""

    def variants(self, site: str) -> Variants:
        found = self._variants.get(site)
        if found is None:
            found = self._variants[site] = FullScoring(self.subjects[site], self.policy)
        return found


def database_url(sites: int) -> str | None:
    """The cached organisation's URL; the 20-site one is built when missing, a larger one never."""
    if sites == 20:
        return organisation_url(20, QUARTERS[20], 1.0)
    from storage.schema import head_revision

    path = cache_folder() / f"org-{sites}s-{QUARTERS[sites]}q-x1-{head_revision()}-{generator_hash()}.db"
    return f"sqlite:///{path}" if path.exists() else None


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def median(fn, runs: int) -> tuple[float, object]:
    results = [timed(fn) for _ in range(runs)]
    return statistics.median(t for t, _ in results), results[-1][1]


def roadmap(projection) -> list[tuple]:
    return [(v.id, v.rank, v.gain, v.site_gain) for v in projection.values]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, choices=sorted(QUARTERS), default=20)
    parser.add_argument("--runs", type=int, default=3, help="runs of the new path (the baseline runs once)")
    args = parser.parse_args()

    from services import enterprise_report, plans
    from services.access import local_admin
    from services.context import Context, get_catalog
    from services.enterprise_members import choose_members
    from storage.engine import Database

    url = database_url(args.sites)
    if url is None:
        print(f"no cached {args.sites}-site organisation under {cache_folder()}: run bench/scale.py --sites "
              f"{args.sites} first")
        return 1
    db = Database(url)
    ctx, actor = Context(db, get_catalog()), local_admin("bench")
    with ctx.read() as session:
        members, _, as_of = choose_members(session)
        loaded = plans.members_projector(session, members, as_of, ctx.catalog)
    subjects, actions = list(loaded.subjects.values()), loaded.actions
    print(f"{args.sites} sites: {len(subjects)} members, {len(actions)} actions; load {os.getloadavg()[0]:.2f}")

    largest = max(subjects, key=lambda s: len(s.responses))
    unit, _ = median(lambda: FullScoring(largest).scorecard([]), 5)
    new, projection = median(lambda: Projector(subjects, actions, today=as_of, enterprise=True).values(), args.runs)
    old, reference = timed(lambda: FullProjector(subjects, actions, today=as_of, enterprise=True).values())
    valued = len(projection.values)
    print(f"one full score():             {unit * 1000:8.1f} ms  (the unit of the baseline)")
    print(f"values(), full scoring:       {old:8.2f} s   ({old / unit:,.0f} × one score())")
    print(f"values(), variants:           {new:8.2f} s   ({new / unit:,.0f} × one score()); "
          f"{old / new:.1f}× faster; {valued} actions valued, {len(projection.points)} points")
    same = roadmap(projection) == roadmap(reference) and projection.points == reference.points
    print(f"same roadmap and points as the baseline: {'yes' if same else 'NO'}")

    context_new, _ = median(lambda: enterprise_report.enterprise_context(ctx, actor), args.runs)
    plans.Projector = FullProjector  # the baseline's projector for one run of the same report
    try:
        context_old, _ = timed(lambda: enterprise_report.enterprise_context(ctx, actor))
    finally:
        plans.Projector = Projector
    print(f"enterprise_context, full:     {context_old:8.2f} s")
    print(f"enterprise_context, variants: {context_new:8.2f} s   ({context_old / context_new:.1f}× faster)")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    db.dispose()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

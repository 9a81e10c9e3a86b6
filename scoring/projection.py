"""The path to target: the verified score, quarter by quarter, as if every open action of a plan
finished on its date. Pure: no clock, files or database; the services layer loads the subjects.

There is no second formula here: each point scores the hypothetical answers and evidence of the
actions done by then (scoring.plan_schedule) with `scoring.score`, and an enterprise plan rolls the
sites' hypothetical scorecards up with `scoring.enterprise.roll_up`, exactly as a report does. So the
first point is the assessment's own score, and a plan with no actions projects today's score.
`scoring.variants` does the scoring: the functions `score` is made of, rescoring only the answers
an action changes and building only what is read (a point's headline figures; an action's value
reads the overall verified score alone, rolled up by `roll_up_overall`'s rule).

`Projector` remembers each site's scorecard per set of done actions, so a what-if rerun scores
only the sites whose set changed. Targets (docs/methodology.md, "Path to target"): a target with a
due date is on track when the first point that reaches it (exact, unrounded score ≥ target) is on
or before its date, or when it is reached today; at risk when a later point reaches it; off track
when no point does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from scoring import rules
from scoring.enterprise import Member, roll_up, roll_up_verified, worst_status
from scoring.model import Scorecard
from scoring.plan_model import (
    ActionValue,
    GoalChange,
    PlannedAction,
    PlanSubject,
    ProjectedPoint,
    Projection,
    ScheduledAction,
    TargetState,
    TargetTrack,
)
from scoring.plan_schedule import point_dates, quarter_label, schedule
from scoring.variants import Variants

EPSILON = 1e-9
"""Scores are compared unrounded; this absorbs float noise only."""
COUNTED = ("scheduled", "slipped")
VALUED = ("scheduled", "slipped", "no_due_date")
"""States of the actions the roadmap values: open, promising something the projection can count."""
_UNSCORED = object()


class Projector:
    """Projects one plan (its subjects and actions at `today`) under any what-if selection.

    `enterprise`: roll the subjects up (each is a site, labelled by `site`, with its weight);
    otherwise there is exactly one subject."""

    def __init__(self, subjects: Sequence[PlanSubject], actions: Sequence[PlannedAction], *, today: date,
                 enterprise: bool = False, policy: rules.Policy = rules.DEFAULT_POLICY) -> None:
        if not subjects:
            raise ValueError("a plan needs at least one assessment")
        if not enterprise and len(subjects) != 1:
            raise ValueError("a one-assessment plan has exactly one subject")
        self.subjects = {s.site: s for s in subjects}
        self.actions = tuple(actions)
        self.today = today
        self.enterprise = enterprise
        self.policy = policy
        self._variants: dict[str, Variants] = {}
        self._cards: dict[tuple[str, frozenset[str], bool], Scorecard] = {}
        self._verified: dict[tuple[str, frozenset[str]], float | None] = {}
        self._rolled: dict[tuple[frozenset[str], ...], Scorecard] = {}

    # --- scoring ---------------------------------------------------------------------------------

    def variants(self, site: str) -> Variants:
        """The site's assessment, ready to score with any of its actions done."""
        found = self._variants.get(site)
        if found is None:
            found = self._variants[site] = Variants(self.subjects[site], self.policy)
        return found

    def site_card(self, site: str, done: Sequence[PlannedAction], *, headline: bool = False) -> Scorecard:
        """The site's scorecard with `done` (its own actions among them) applied (`headline`: only
        what a point reads, scoring.engine.scorecard_of)."""
        return self._site_card(site, [a for a in done if a.site == site], headline)

    def _site_card(self, site: str, own: list[PlannedAction], headline: bool) -> Scorecard:
        key = (site, frozenset(a.id for a in own), headline)
        card = self._cards.get(key)
        if card is None:
            card = self._cards[key] = self.variants(site).scorecard(own, headline=headline)
        return card

    def cards(self, done: Sequence[PlannedAction], *, headline: bool = False) -> tuple[Scorecard, dict[str, Scorecard]]:
        """The plan's scorecard (rolled up for an enterprise) and each site's, with `done` applied.
        `headline`: the sites' cards carry only what a point reads; the roll-up always does."""
        own = _by_site(done, self.subjects)
        sites = {site: self._site_card(site, own[site], headline) for site in self.subjects}
        if not self.enterprise:
            return next(iter(sites.values())), sites
        key = tuple(frozenset(a.id for a in own[site]) for site in self.subjects)
        rolled = self._rolled.get(key)
        if rolled is None:
            # The points read scores and goal statuses only: the members' subcategories, gaps, caps,
            # responses and scenarios (most of a roll-up's work) are left out of it.
            members = [Member(site, s.weight, _slim(sites[site])) for site, s in self.subjects.items()]
            rolled = roll_up(members, as_of=self.today)
            self._rolled[key] = rolled
        return rolled, sites

    def site_verified(self, site: str, done: Sequence[PlannedAction]) -> float | None:
        """The site's overall verified score with `done` applied (`site_card(...).overall.verified`)."""
        return self._site_verified(site, [a for a in done if a.site == site])

    def _site_verified(self, site: str, own: list[PlannedAction]) -> float | None:
        key = (site, frozenset(a.id for a in own))
        value = self._verified.get(key, _UNSCORED)
        if value is _UNSCORED:
            value = self._verified[key] = self.variants(site).verified(own)
        return value

    def overall(self, done: Sequence[PlannedAction]) -> tuple[float | None, dict[str, float | None]]:
        """The plan's overall verified score and each site's, with `done` applied (the roll-up's
        overall rule alone for an enterprise: cheaper than `cards` when only the headline counts)."""
        own = _by_site(done, self.subjects)
        per_site = {site: self._site_verified(site, own[site]) for site in self.subjects}
        if not self.enterprise:
            return next(iter(per_site.values())), per_site
        return roll_up_verified((per_site[site], s.weight) for site, s in self.subjects.items()), per_site

    # --- the projection --------------------------------------------------------------------------

    def project(self, include: frozenset[str] | None = None) -> Projection:
        """The path to target with the open actions in `include` (None: every one)."""
        scheduled, slips = schedule(self.actions, list(self.subjects.values()), self.today, include)
        counted = [a for a in scheduled if a.state in COUNTED]
        last = max((a.counts_on for a in counted), default=None)
        states = []
        for index, day in enumerate(point_dates(self.today, last)):
            done = [] if index == 0 else [a for a in counted if a.counts_on <= day]
            card, sites = self.cards(done, headline=True)
            states.append((day, "today" if index == 0 else quarter_label(day), done, card, sites))
        points = tuple(self._point(*state) for state in states)
        return Projection(today=self.today, slip_days=slips, actions=scheduled, points=points,
                          targets=self._targets(states), goal_changes=_goal_changes(states, self.enterprise))

    def _point(self, day: date, label: str, done, card: Scorecard, sites: dict[str, Scorecard]) -> ProjectedPoint:
        return ProjectedPoint.model_construct(
            on=day, label=label, counted=tuple(a.id for a in done),
            verified=card.overall.verified, target=card.overall.target,
            by_environment={env: o.verified for env, o in card.by_environment.items()},
            functions={k: n.combined.verified for k, n in card.functions.items()},
            categories={k: n.combined.verified for k, n in card.categories.items()},
            sites={site: c.overall.verified for site, c in sites.items()} if self.enterprise else {},
            cpg_implemented_pct=card.cpg_implemented_pct,
            cpg_status={gid: dict(g.status) for gid, g in card.cpg_goals.items()},
            site_cpg_status=({site: _site_goals(c) for site, c in sites.items()} if self.enterprise else {}),
        )

    def _targets(self, states) -> tuple[TargetTrack, ...]:
        tracks = []
        if self.enterprise:
            dues = [s.target_due for s in self.subjects.values() if s.target_due is not None]
            if dues:
                series = [(day, card.overall.verified) for day, _, _, card, _ in states]
                tracks.append(self._track("overall", "", states[0][3].overall.target, max(dues), series))
        for site, s in self.subjects.items():
            if s.target_due is not None:
                series = [(day, sites[site].overall.verified) for day, _, _, _, sites in states]
                tracks.append(self._track("overall", site, states[0][4][site].overall.target, s.target_due, series))
            for t in s.target_dues:
                series = [(day, _level(sites[site], t.question_id, t.environment)) for day, _, _, _, sites in states]
                tracks.append(self._track("response", site, float(t.target), t.due, series,
                                          question_id=t.question_id, environment=t.environment))
        return tuple(tracks)

    def _track(self, kind, site: str, target: float | None, due: date, series, **where) -> TargetTrack:
        reached = None if target is None else next(
            (day for day, value in series if value is not None and value >= target - EPSILON), None)
        status: TargetState = ("off_track" if reached is None
                               else "on_track" if reached <= due or reached == self.today else "at_risk")
        return TargetTrack(kind=kind, site=site, target=target, today=series[0][1],
                           due=due, reached_on=reached, status=status, **where)

    # --- what each action buys -------------------------------------------------------------------

    def values(self) -> Projection:
        """`project()` with the roadmap: every valued action's gain on its own, ranked per unit of
        cost when every one has a cost, else per action (ties: larger gain, earlier due, id)."""
        projection = self.project()
        valued = [a for a in projection.actions if a.state in VALUED]
        base, base_sites = self.overall([])
        # One action changes its own site only: the others keep today's score in the roll-up.
        members = [(base_sites[site], s.weight) for site, s in self.subjects.items()]
        index = {site: i for i, site in enumerate(self.subjects)}
        found = []
        for a in valued:
            site_value = self._site_verified(a.site, [a])
            value = site_value
            if self.enterprise:
                varied = members.copy()
                varied[index[a.site]] = (site_value, varied[index[a.site]][1])
                value = roll_up_verified(varied)
            found.append((a, _gain(value, base), _gain(site_value, base_sites[a.site])))
        per_cost = bool(found) and all(a.cost is not None and a.cost > 0 for a, _, _ in found)
        found.sort(key=lambda f: _rank_key(*f, per_cost))
        values = tuple(
            ActionValue(id=a.id, rank=rank, gain=gain, site_gain=site_gain, cost=a.cost,
                        gain_per_100k=gain * 100_000 / a.cost if a.cost else None)
            for rank, (a, gain, site_gain) in enumerate(found, start=1))
        return projection.model_copy(update={"values": values, "ranking": "per_cost" if per_cost else "per_action"})


def project(subjects: Sequence[PlanSubject], actions: Sequence[PlannedAction], *, today: date,
            enterprise: bool = False, include: frozenset[str] | None = None) -> Projection:
    """One projection, without keeping the scorecards (see Projector for what-if reruns)."""
    return Projector(subjects, actions, today=today, enterprise=enterprise).project(include)


def within_budget(ranked: Sequence[tuple[str, float | None]], chosen: frozenset[str],
                  budget: float | None) -> frozenset[str]:
    """The chosen actions a budget ceiling keeps. `ranked`: (id, cost) of the roadmap's actions,
    best first; each chosen one is kept while its cost fits in what is left, and one without a cost
    estimate is kept without counting against the budget. Chosen ids not in `ranked` (actions the
    roadmap does not value) stay. `budget` None: no ceiling."""
    if budget is None:
        return chosen
    listed = {action_id for action_id, _ in ranked}
    kept = {a for a in chosen if a not in listed}
    left = budget
    for action_id, cost in ranked:
        if action_id not in chosen:
            continue
        if cost is None:
            kept.add(action_id)
        elif cost <= left:
            kept.add(action_id)
            left -= cost
    return frozenset(kept)


def _by_site(done: Sequence[PlannedAction], sites) -> dict[str, list[PlannedAction]]:
    """`done` split by the site each action belongs to (every site present, in order)."""
    out: dict[str, list[PlannedAction]] = {site: [] for site in sites}
    for a in done:
        if a.site in out:
            out[a.site].append(a)
    return out


def _slim(card: Scorecard) -> Scorecard:
    """What the points read of a site's scorecard: overall, functions, categories, goals."""
    return card.model_copy(update={"gaps": (), "caps": (), "responses": (), "scenarios": {}, "subcategories": {}})


def _gain(after: float | None, before: float | None) -> float:
    if after is None or before is None:
        return 0.0
    return max(0.0, after - before)  # never below 0 (scoring.plan_schedule); max() drops float noise


def _rank_key(a: ScheduledAction, gain: float, site_gain: float, per_cost: bool):
    value = gain / a.cost if per_cost and a.cost else gain
    return (-value, -gain, a.due or date.max, a.id)


def _level(card: Scorecard, question_id: str, environment: str) -> float | None:
    for r in card.responses:
        if r.question_id == question_id and r.environment == environment:
            return None if r.verified is None else float(r.verified)
    return None


def _site_goals(card: Scorecard) -> dict[str, str]:
    return {gid: worst_status(g.status.values()) for gid, g in card.cpg_goals.items()}


def _goal_changes(states, enterprise: bool) -> tuple[GoalChange, ...]:
    """Goals whose status differs between today and the last point, with the first date it does."""
    if len(states) < 2:
        return ()
    cards = [(day, card, sites) for day, _, _, card, sites in states]
    titles = {gid: g.title for gid, g in cards[0][1].cpg_goals.items()}
    changes = []
    for gid, goal in cards[0][1].cpg_goals.items():
        for env, before in goal.status.items():
            series = [(day, card.cpg_goals[gid].status.get(env, "not_assessed")) for day, card, _ in cards]
            changes += _change(series, before, goal_id=gid, title=titles[gid], environment=env)
    if enterprise:
        for site in cards[0][2]:
            goals = [(day, _site_goals(sites[site])) for day, _, sites in cards]
            for gid, before in goals[0][1].items():
                series = [(day, statuses.get(gid, "not_assessed")) for day, statuses in goals]
                changes += _change(series, before, goal_id=gid, title=titles.get(gid, gid), site=site)
    return tuple(changes)


def _change(series, before: str, **where) -> list[GoalChange]:
    after = series[-1][1]
    if after == before:
        return []
    first = next(day for day, status in series if status != before)
    return [GoalChange(before=before, after=after, on=first, **where)]

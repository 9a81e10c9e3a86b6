"""The demo manufacturer, "Halvorsen Industrial Group": who it is and how its quarters unfold.

Four estates, six quarterly assessments each (as of the last day of each quarter, mid-2025 to
autumn 2026), every one finalised so the trends have history:

- Enterprise IT (enterprise-wide, scope IT): the shared services every plant uses. A steady,
  well-funded improvement from a middling start.
- Northfield Assembly (Germany, critical): the flagship plant, the most mature, improving slowly
  from a good level; evidence backs what it claims.
- Riverside Castings (Mexico, high): a weak start that improves quickly after a segmentation and
  remote-access programme, but it claims more than its evidence supports early on.
- Lakeside Components (Poland, medium): improves for two quarters, then regresses when its OT
  engineer leaves and vendor remote access sprawls (Q4-Q5), and starts to recover in Q6. Its
  high-risk exceptions are left open and age past 90 days.

In its last finalised quarter each estate agrees an improvement plan (`PLANS`, demo.plans): the
enterprise IT is at target already, Northfield is on track, Riverside is slipping (its target was
promised for the end of 2026 and is reached a quarter late) and Lakeside is off track.

A maturity curve gives, per quarter, the level around which answers fall (0–5) for IT and OT;
`overclaim` is how far answers sit above what the evidence supports (the evidence generator draws
its registers from the curve, the answers from curve + overclaim), so claimed vs verified differs
where the story says it should.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ORGANISATION = "Halvorsen Industrial Group"
QUARTERS: tuple[date, ...] = (
    date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31),
    date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30),
)
SEED = 20260101
DRAFT_ESTATE = "riverside"
"""The estate whose next-quarter assessment is left open as a draft (copied from its latest)."""
DRAFT_AS_OF = date(2026, 12, 31)
ADMIN_USER = "ciso@halvorsen.example"


@dataclass(frozen=True)
class Estate:
    """One assessed estate: a plant (a site) or the enterprise IT (site None)."""

    key: str
    site: str | None
    country: str
    criticality: str
    scope: str
    assessor: str
    it: tuple[float, ...]
    ot: tuple[float, ...]
    overclaim: tuple[float, ...]
    assets: int
    ot_share: float
    access_paths: int
    boundaries: int
    exception_rate: float
    """New exceptions per quarter per 100 assets."""
    exception_closing: tuple[float, ...]
    """Share of open exceptions closed during each quarter (low = exceptions age)."""


ESTATES: tuple[Estate, ...] = (
    Estate(
        key="enterprise", site=None, country="Norway", criticality="critical", scope="IT",
        assessor="maria.lund@halvorsen.example",
        it=(2.7, 2.9, 3.1, 3.3, 3.5, 3.6), ot=(0,) * 6, overclaim=(0.3, 0.2, 0.2, 0.1, 0.1, 0.1),
        assets=4200, ot_share=0.0, access_paths=320, boundaries=14, exception_rate=0.4,
        exception_closing=(0.4, 0.45, 0.5, 0.5, 0.55, 0.6),
    ),
    Estate(
        key="northfield", site="Northfield Assembly", country="Germany", criticality="critical", scope="IT+OT",
        assessor="jonas.weber@halvorsen.example",
        it=(3.2, 3.3, 3.4, 3.5, 3.7, 3.8), ot=(2.8, 2.9, 3.1, 3.2, 3.4, 3.5), overclaim=(0.2, 0.2, 0.1, 0.1, 0.1, 0.1),
        assets=2400, ot_share=0.62, access_paths=140, boundaries=38, exception_rate=1.0,
        exception_closing=(0.5, 0.55, 0.6, 0.6, 0.65, 0.7),
    ),
    Estate(
        key="riverside", site="Riverside Castings", country="Mexico", criticality="high", scope="IT+OT",
        assessor="ana.ramirez@halvorsen.example",
        it=(1.7, 2.0, 2.4, 2.7, 2.9, 3.1), ot=(1.3, 1.6, 2.0, 2.4, 2.7, 2.9), overclaim=(0.9, 0.8, 0.6, 0.5, 0.4, 0.3),
        assets=1600, ot_share=0.7, access_paths=110, boundaries=26, exception_rate=1.6,
        exception_closing=(0.2, 0.3, 0.4, 0.45, 0.5, 0.55),
    ),
    Estate(
        key="lakeside", site="Lakeside Components", country="Poland", criticality="medium", scope="IT+OT",
        assessor="piotr.nowak@halvorsen.example",
        it=(2.5, 2.8, 3.0, 2.5, 2.3, 2.6), ot=(2.3, 2.7, 2.9, 2.2, 1.9, 2.3), overclaim=(0.3, 0.3, 0.3, 0.5, 0.5, 0.4),
        assets=1100, ot_share=0.68, access_paths=70, boundaries=20, exception_rate=1.8,
        exception_closing=(0.4, 0.4, 0.3, 0.05, 0.05, 0.15),
    ),
)


@dataclass(frozen=True)
class PlanStory:
    """An estate's improvement plan, agreed in its last finalised quarter.

    `target_due`: when its overall target is due. `coverage`: the share of its sections with gaps
    that get an action (1.0: every gap has an action). `due`: the quarter ends its actions are due
    on, the most urgent sections first."""

    target_due: date
    coverage: float
    due: tuple[date, ...]


PLANS: dict[str, PlanStory] = {
    # At target already; the last gaps close within two quarters.
    "enterprise": PlanStory(date(2027, 3, 31), 1.0, (date(2026, 12, 31), date(2027, 3, 31))),
    # On track: every gap has an action due within two quarters, the target is due in three.
    "northfield": PlanStory(date(2027, 6, 30), 1.0, (date(2026, 12, 31), date(2027, 3, 31))),
    # Slipping: the target was promised for the end of 2026, the plan reaches it a quarter later,
    # and the actions it has carried since 2025 are overdue.
    "riverside": PlanStory(date(2026, 12, 31), 1.0, (date(2026, 12, 31), date(2027, 3, 31), date(2027, 6, 30),
                                                    date(2027, 9, 30))),
    # Off track: after the regression only half of the sections with gaps have an action.
    "lakeside": PlanStory(date(2027, 6, 30), 0.5, (date(2027, 3, 31), date(2027, 6, 30))),
}


def maturity(estate: Estate, quarter: int, environment: str) -> float:
    """The level (0–5) around which the estate's `environment` sits in quarter `quarter` (0-based)."""
    return (estate.it if environment == "IT" else estate.ot)[quarter]


def label(estate: Estate) -> str:
    return estate.site or "Enterprise IT"

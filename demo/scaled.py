"""Larger organisations for the scale benchmark (bench/scale.py): the demo's story told by many plants.

`scaled_estates(sites)` keeps the demo's enterprise IT and adds `sites` plants, each a variant of one
of the three demo plants in turn (Northfield, Riverside, Lakeside): its own name, key (so its own
seeded registers and answers), criticality cycled, maturity curve shifted by a small deterministic
offset, register sizes varied ±30 %. `load_scaled` loads them through the same services as the demo
(demo.loader.load_estates), with the last `quarters` quarters (1–6) finalised and one draft.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from demo.loader import DemoSummary, load_estates
from demo.registers import rng
from demo.story import ESTATES, ORGANISATION, QUARTERS, Estate
from services.access import Actor, require_admin
from services.context import Context
from services.sites import ensure_organisation

CRITICALITIES = ("critical", "high", "medium", "low")
COUNTRIES = ("Germany", "Mexico", "Poland", "Czechia", "United States", "Sweden", "Italy", "India")


def scaled_estates(sites: int) -> tuple[Estate, ...]:
    """The enterprise IT estate and `sites` plants (deterministic for a given count)."""
    enterprise, *plants = ESTATES
    out = [enterprise]
    for n in range(sites):
        base = plants[n % len(plants)]
        r = rng("scaled", n)
        shift = float(r.uniform(-0.4, 0.4))
        size = float(r.uniform(0.7, 1.3))

        def curve(values: tuple[float, ...], shift: float = shift) -> tuple[float, ...]:
            return tuple(float(np.clip(v + shift, 0.5, 4.8)) for v in values)

        out.append(dataclasses.replace(
            base, key=f"{base.key}{n + 1:03d}", site=f"{base.site.split()[0]} Plant {n + 1:03d}",
            country=COUNTRIES[n % len(COUNTRIES)], criticality=CRITICALITIES[n % len(CRITICALITIES)],
            assessor=f"assessor{n + 1:03d}@halvorsen.example", it=curve(base.it), ot=curve(base.ot),
            assets=int(base.assets * size), access_paths=int(base.access_paths * size),
            boundaries=max(4, int(base.boundaries * size)), plan=base.key,
        ))
    return tuple(out)


def load_scaled(ctx: Context, actor: Actor, sites: int, quarters: int, *, scale: float = 1.0,
                progress=None) -> DemoSummary:
    """Load the organisation of `scaled_estates(sites)` into an empty database: the last `quarters`
    demo quarters of every estate finalised, the first plant's next quarter open as a draft;
    `scale` shrinks or grows the registers."""
    require_admin(actor, "load a scaled demo organisation")
    if not 1 <= quarters <= len(QUARTERS):
        raise ValueError(f"quarters must be 1–{len(QUARTERS)}, got {quarters}")
    ensure_organisation(ctx, actor, ORGANISATION)
    estates = scaled_estates(sites)
    return load_estates(ctx, actor, estates, first_quarter=len(QUARTERS) - quarters,
                        draft_estate=estates[1].key if sites else None, scale=scale, progress=progress)

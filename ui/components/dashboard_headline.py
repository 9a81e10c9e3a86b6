"""The top of the dashboard: what it is about, whether the numbers are a result yet, and the
headline figures (verified vs claimed vs target, CPG %, completion, confidence) in large type.
"""

from __future__ import annotations

import streamlit as st

from exports.context import ReportContext
from exports.formatting import delta, percent, score, share
from services.dashboard import verdict
from ui.text import md

STATUS_BADGE = {"draft": ":orange-badge[Draft]", "in_review": ":blue-badge[In review]",
                "final": ":blue-badge[:material/verified: Final]"}
KIND = {"assessment": "Assessment", "site": "Site, latest final assessment", "enterprise": "Enterprise"}


def heading(context: ReportContext, environment: str | None) -> None:
    m = context.meta
    scope = environment or m.scope
    st.markdown(f"### {md(m.subject)}")
    st.caption(f"{KIND[m.kind]} · {md(m.organisation)} · scope {scope} · as of {m.as_of:%d %b %Y} · "
               f"{STATUS_BADGE.get(m.status, m.status)} · questionnaire {m.questionnaire}")


# Below 640 px Streamlit stacks every column: keep the headline figures and the metric tiles two
# to a row (the tiles' threshold captions stay in their help tooltip)
# and let the Show control and the tabs wrap, so the first chart is not six screens down.
NARROW_CSS = """<style>
.st-key-dash-answer p { font-size: 1.3rem; line-height: 1.45; }
@media (max-width: 640px) {
  .stMainBlockContainer { padding-top: 3.6rem; }
  .st-key-dash-figures [data-testid="stHorizontalBlock"],
  .st-key-dash-tiles [data-testid="stHorizontalBlock"] { flex-direction: row; flex-wrap: wrap; gap: 0.5rem; }
  .st-key-dash-figures [data-testid="stColumn"],
  .st-key-dash-tiles [data-testid="stColumn"] { flex: 1 1 calc(50% - 0.5rem) !important; min-width: 9rem !important; }
  .st-key-dash-tiles [data-testid="stCaptionContainer"] { display: none; }
  .st-key-dash-figures [data-testid="stMetricValue"] { font-size: 1.6rem; }
  .st-key-dash-top [data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
  .st-key-dash-top [data-testid="stButtonGroup"] button { flex: 0 1 auto; }
  .st-key-dash-body [role="tablist"] { flex-wrap: wrap !important; row-gap: 0.25rem; width: 100% !important; }
  .st-key-dash-body [role="tablist"] [role="tab"] { flex: 0 0 auto; }
  .st-key-dash-body [data-testid="stTabs"] > div:first-child { overflow: visible !important; }
}
</style>"""


def narrow_screen_style() -> None:
    st.html(NARROW_CSS)


def answer(context: ReportContext) -> None:
    """The answer first: one sentence (exports.answer), in large type, above everything else."""
    if context.answer:
        st.container(key="dash-answer").markdown(md(context.answer))


def show_verdict(context: ReportContext) -> None:
    """A banner nobody can miss when the figures are not a result yet."""
    v = verdict(context)
    if v.level == "reliable":
        st.success(f"**{v.headline}.** Every applicable answer is in and at least half are checked "
                   "against evidence.", icon=":material/check_circle:")
        return
    # Reasons may quote user text (an admin's override reason, a site name): shown as typed.
    text = f"**{v.headline}:** " + "; ".join(md(reason) for reason in v.reasons) + "."
    if v.level == "incomplete":
        st.error(text, icon=":material/block:")
    else:
        st.warning(text, icon=":material/warning:")


def figures(context: ReportContext) -> None:
    """Six large numbers, formatted as the PDF prints them (exports.formatting); the verified delta
    is coloured blue (better) or orange (worse)."""
    h = context.headline
    cols = st.container(key="dash-figures").columns([1.5, 1, 1.3, 1.2, 1.1, 1.1])
    change = h.delta_verified
    cols[0].metric("Verified", score(h.overall.verified), delta=None if change is None else delta(change),
                   delta_description=f"vs {h.previous_label}" if change is not None else None,
                   delta_color="blue" if (change or 0) >= 0 else "orange", border=True,
                   help="Mean maturity (0–5) after evidence caps: what the evidence supports.")
    cols[1].metric("Claimed", score(h.overall.claimed), border=True,
                   help="Mean maturity (0–5) as the assessors answered.")
    cols[2].metric("Target", score(h.overall.target), border=True,
                   delta=f"due {h.target_due.isoformat()}" if h.target_due else None, delta_color="off",
                   delta_arrow="off", help="Mean agreed or profile target (0–5), and when it is due.")
    cols[3].metric("CPG goals met", percent(h.cpg_implemented_pct), border=True,
                   help="Share of assessed (goal, environment) pairs with every answer verified at 3 or more "
                        "(comparable to CISA CSET).")
    cols[4].metric("Completion", share(h.completion), border=True,
                   help=f"{h.answered} answered + {h.not_applicable} not applicable, of {h.applicable} "
                        "applicable answers (IT and OT together).")
    cols[5].metric("Confidence", share(h.confidence), border=True,
                   help="Share of answers whose question has evidence rules with every metric present.")


def basis_note(context: ReportContext) -> None:
    """On the enterprise view: say plainly what the enterprise figures are (maturity weighted by
    criticality, metrics pooled from every site's evidence, as of a date), so nobody reads them as
    one site's."""
    if context.meta.basis:
        st.info(md(context.meta.basis), icon=":material/factory:")

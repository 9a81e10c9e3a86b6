"""Pure scoring engine: never reads files, the clock, the database or Streamlit.

Entry point: `score(questionnaire, csf, cpg, responses, metrics, *, scope, as_of, definitions)`
→ `scoring.model.Scorecard`. Policy is in `scoring.rules`, mechanics in the other modules.
"""

from scoring.engine import score
from scoring.rules import DEFAULT_POLICY, Policy

__all__ = ["DEFAULT_POLICY", "Policy", "score"]

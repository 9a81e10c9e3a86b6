"""Keyboard use of the level choice: tabbing into a level row lands on the chosen level.

Streamlit's segmented control already moves along its row with the arrow keys and leaves it with
one Tab, but on the way in it focuses the level focused last (or level 0), so a keyboard user
coming back to an answered question lands away from the answer. This script moves keyboard focus,
as it enters the level row of the answer form (keys `ans-…-current`, ui/components/answer_form.py)
from outside, to the chosen level; a click keeps the focus on the level it chose. It runs once per page load in the app's own page (static code,
no user input in it).
"""

from __future__ import annotations

import streamlit as st

SCRIPT = """<script>
(() => {
  if (window.__scorecardLevelKeys) return;
  window.__scorecardLevelKeys = true;
  const levelRow = el => {
    for (let n = el; n; n = n.parentElement)
      if ([...n.classList].some(c => c.startsWith("st-key-ans-") && c.endsWith("-current"))) return n;
    return null;
  };
  let keys = 0;  // key presses so far: a move made after the focus entered is the user's, and wins
  document.addEventListener("keydown", () => { keys += 1; }, true);
  document.addEventListener("focusin", event => {
    const landed = event.target.closest && event.target.closest("button[aria-checked]");
    // Only keyboard focus: a click focuses the level it chooses, and that must stay.
    if (!landed || !levelRow(landed) || !landed.matches(":focus-visible")) return;
    const row = landed.parentElement;
    if (event.relatedTarget && row.contains(event.relatedTarget)) return;  // moving within the row
    const pressed = keys;
    // After the component's own handling of this focus (it may move it again), go to the choice.
    setTimeout(() => {
      const chosen = row.querySelector("button[aria-checked='true']");
      if (keys === pressed && chosen && row.contains(document.activeElement) && document.activeElement !== chosen)
        chosen.focus();
    }, 0);
  }, true);
})();
</script>"""


def enable_level_keys() -> None:
    """Add the script to the page (once per page load; later runs find it in place)."""
    st.html(SCRIPT, unsafe_allow_javascript=True)

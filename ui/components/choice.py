"""A selectbox or radio whose option labels may change between reruns, without losing the choice.

Streamlit sends a keyed selectbox's or radio's value back as its *label*. When the labels change
between reruns (a section label "Govern — 3/20" becomes "Govern — 4/20" after an answer, a
question's state icon turns green), the returned label matches no option any more and the widget's
value becomes that stale label string: a callback that looks the value up fails (the questionnaire's
StopIteration) and a view that falls back to its first option loses the user's place.

`stable_choice` keeps the chosen value in a session-state key of its own (`state_key`) and draws
the widget under a key derived from its labels and the current value, so a widget whose labels or
value changed is a new widget, drawn at the current value. A pick is copied to `state_key` by the
callback only when it is one of the options; anything else is ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def choice_key(state_key: str, labels: Sequence[str], current: Any) -> str:
    """The widget key: changes whenever the labels or the current value change."""
    digest = hashlib.blake2b(repr((list(labels), current)).encode(), digest_size=6).hexdigest()
    return f"{state_key}:{digest}"


def _picked(widget_key: str, state_key: str, options: tuple, then: Callable[[], None] | None) -> None:
    value = st.session_state.get(widget_key)
    if value in options:
        st.session_state[state_key] = value
        if then is not None:
            then()


def stable_choice(kind: str, label: str, options: Sequence[Any], state_key: str, labels: dict[Any, str], *,
                  on_pick: Callable[[], None] | None = None, **kwargs: Any) -> Any:
    """Draw a `kind` ("selectbox" or "radio") over `options` labelled by `labels`, showing and
    returning `st.session_state[state_key]` (the first option when that is not one of them).
    `on_pick` runs after a pick has been stored. Other keyword arguments go to the widget."""
    options = tuple(options)
    current = st.session_state.get(state_key)
    if current not in options:
        current = options[0]
        st.session_state[state_key] = current
    texts = [labels[o] for o in options]
    key = choice_key(state_key, texts, current)
    widget = st.selectbox if kind == "selectbox" else st.radio
    widget(label, options, index=options.index(current), format_func=labels.__getitem__, key=key,
           on_change=_picked, args=(key, state_key, options, on_pick), **kwargs)
    return current

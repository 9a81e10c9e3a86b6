"""Showing user mistakes: a ScorecardError becomes an `st.error` with every problem listed.

`guard()` is both a context manager and a decorator. It turns a ScorecardError (bad file,
conflicting edit, finalised assessment, missing permission...) into `show_error`, never a traceback;
any other exception is a bug and propagates (Streamlit shows it loudly).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from errors import ScorecardError
from ui.text import md

F = TypeVar("F", bound=Callable[..., Any])


def show_error(error: ScorecardError, *, key: str | None = None) -> None:
    """The summary as an error box; each problem (where, what, what would be right) below it."""
    st.error(md(error.summary), icon=":material/error:")
    if not error.problems:
        return
    with st.expander(f"Details ({len(error.problems)} problem{'s' if len(error.problems) != 1 else ''})",
                     expanded=len(error.problems) <= 5):
        st.markdown("\n".join(_problem_line(p) for p in error.problems))


def _problem_line(problem: Any) -> str:
    """Location, message and hint carry user text (file names, cell values): escaped."""
    location = md(problem.location)
    text = f"- **{location}**: {md(problem.message)}" if location else f"- {md(problem.message)}"
    return f"{text} — _{md(problem.hint)}_" if problem.hint else text


@contextmanager
def _guarding() -> Iterator[None]:
    try:
        yield
    except ScorecardError as error:
        show_error(error)


class _Guard:
    """`with guard(): ...` or `@guard()` on a function (returns None when it was refused)."""

    def __enter__(self) -> None:
        self._cm = _guarding()
        self._cm.__enter__()

    def __exit__(self, *exc: Any) -> bool:
        return bool(self._cm.__exit__(*exc))

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _guarding():
                return func(*args, **kwargs)
            return None

        return wrapper  # type: ignore[return-value]


def guard() -> _Guard:
    return _Guard()

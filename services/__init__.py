"""Use cases shared by the UI and the CLI: the one place that wires the packages together.

One module per area (content, evidence, scoring, assessments, reports); `app.py`, `ui/` and
`commands/` call these, never storage or the engine directly.
"""

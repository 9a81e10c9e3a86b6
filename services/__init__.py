"""Use cases shared by the UI, the CLI and the demo loader: the one place that wires the packages
together.

One module per area (content, sites, assessments, answers, evidence_files, evidence_imports,
scorecards, assessment_scoring, reports, trend_series, …); `app.py`, `ui/`, `commands/` and
`demo/` call these, never storage or the engine directly: below services they import only models
(the contracts in pyproject.toml, [tool.importlinter]).
"""

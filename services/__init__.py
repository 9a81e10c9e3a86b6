"""Use cases shared by the UI, the CLI and the demo loader: the one place that wires the packages
together.

Calling convention: every function that reads or writes stored data or content takes the context
first and the actor second, `service(ctx, actor, …)` (services.context.Context: database, catalog,
clock, built once by the edge).

- Write use cases (assessments, answers, evidence_imports, bundles, sites, questionnaire_workbook):
  check the actor's role, validate, write in one transaction, audited.
- Read models (reports, enterprise_report, dashboard, trend_series, trend_comparisons, and below
  them assessment_scoring, assessment_records, report_records, stored_evidence, trend_points):
  each reads in one transaction through `ctx.read()` and calls the in-session helpers of the
  others, never a write use case (contract `read-models-only-read` in pyproject.toml).

`app.py`, `ui/`, `commands/` and `demo/` call these, never storage or the engine directly: below
services they import only models (the contracts in pyproject.toml, [tool.importlinter]).
"""

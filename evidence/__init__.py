"""Evidence: dataset schemas, readers (CSV/TSV/Zeek logs/XLSX), mappings and presets, dates, row
validation, metrics and why one is missing.

Entry points (details in docs/evidence.md):
- `evidence.dataset.read_dataset(source, dataset, mapping=None, sheet=None, name=None, time_zone=None)`
  → `evidence.validated_dataset.ValidatedDataset` (normalised frame of the valid rows + problems + counts)
- `evidence.dataset.load_mapping(source, dataset)` → `evidence.mapping.Mapping`
- `evidence.metrics.compute_metrics(frames, as_of, definitions)` → `evidence.metric_set.MetricSet`
- `evidence.templates.template_csv(dataset)` / `template_xlsx(dataset)` → bytes

Modules, in the order data flows through them: `schemas` (canonical fields, loose synonyms),
`mapping`, `mapping_rules`, `mapping_timeline` and `mapping_checks` (a mapping file and its rules), `presets` (built-in
mappings of tools' exports), `reader` (the file read by the one table reader, `tabular`, with this
dataset's header rules → `table.RawTable`), `headers` (which row is the header, which column is
which field, what was assumed), `row_filter` (`where`), `plausibility` (backup jobs are not
restore tests), `timeline` (exercise events → exercises), `values`, `dates` and `convert` (cells →
canonical types), `derive` (set, default, duration, filled), `validate` (→ `validated_dataset`),
`conform` (frames reloaded from storage), `aggregate` and `calculations` (metric arithmetic),
`metrics` (RAG status, JSON), `missing` (why a metric has no value), `metric_set` (the MetricSet
shared with scoring).
"""

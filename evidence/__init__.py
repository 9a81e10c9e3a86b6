"""Evidence: dataset schemas, readers (CSV/XLSX), column mapping, row validation, metrics.

Entry points (details in docs/evidence.md):
- `evidence.dataset.read_dataset(source, dataset, mapping=None, sheet=None, name=None)`
  → `evidence.validated_dataset.ValidatedDataset` (normalised frame of the valid rows + problems + counts)
- `evidence.dataset.load_mapping(source, dataset)` → `evidence.mapping.Mapping`
- `evidence.metrics.compute_metrics(frames, as_of, definitions)` → `evidence.metric_set.MetricSet`
- `evidence.templates.template_csv(dataset)` / `template_xlsx(dataset)` → bytes

Modules, in the order data flows through them: `schemas` (canonical fields), `reader` (the file
read by the one table reader, `tabular`, with this dataset's header rules → `table.RawTable`),
`headers` and `mapping` (which column is which field), `values` and `convert` (cells →
canonical types), `validate` (→ `result`), `conform` (frames reloaded from storage), `aggregate` and `calculations` (metric arithmetic),
`metrics` (RAG status, JSON), `results` (the MetricSet shared with scoring).
"""

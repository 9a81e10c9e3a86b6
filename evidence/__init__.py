"""Evidence: dataset schemas, readers (CSV/XLSX), column mapping, row validation, metrics."""

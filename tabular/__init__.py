"""Tabular files: the one reader of tables for every part of the product.

Evidence files (`evidence.reader`), questionnaire responses files (`services.responses_file`) and
offline questionnaire workbooks (`services.questionnaire_import`) are all read here, under one set
of limits (`tabular.limits`), so a rule about reading a file is written once. The package sits
below `evidence` (it imports only `errors` and `config`): it knows files, encodings, delimiters,
sheets and cells, never what a dataset, a response or a metric is. Its name says what it reads:
tables in files (`storage.tables` are database tables).

Modules, in the order a file meets them: `limits` (every limit and the memory bound), `safety`
(size, binary content, zip and XML bombs), `reader` (`open_table` / `read_table`: format by
name), then `encoding`, `delimited` and `records` for text files, `sheetscan` and `workbook` for
XLSX; `table` holds what they return (`Header`, `Table`, `HeaderRule`). Details:
docs/evidence.md, "Reading files".
"""

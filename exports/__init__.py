"""Exports: ReportContext view-model, plotly charts, board PDF and Excel workbooks (as bytes)."""

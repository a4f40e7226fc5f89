"""Workbook exchange between desks: reading, writing and merging `.xlsx` workbooks.

The format and its guarantees: docs/exchange-format.md."""

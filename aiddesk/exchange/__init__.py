"""Workbook exchange between desks (EXCHANGE.md): reading, writing and merging `.xlsx` workbooks."""

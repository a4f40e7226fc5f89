"""The Exchange screen: export and merge workbooks, the exchange folder and its timer, and the
spreadsheet import wizard (sheet_import/)."""

"""The exchange's use cases: export, merge (and its pass through the database), the exchange folder,
hand-edit proposals, conflicts, what waits for a person, and importing a foreign spreadsheet
(sheet_import/). They may use aiddesk.exchange.workbook (the file format); it never uses them."""

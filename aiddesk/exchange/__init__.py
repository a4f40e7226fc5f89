"""Workbook exchange between desks; the format and its guarantees: docs/exchange-format.md.

aiddesk.exchange.workbook is the file format: reading, writing, encrypting and checking `.xlsx`
workbooks (and reading foreign spreadsheets), the layout of their sheets and the text of their
cells. It may use aiddesk.domain, aiddesk.store and aiddesk.i18n, never aiddesk.services or aiddesk.ui.
The use cases (export, merge, the exchange folder, proposals, conflicts, sheet import) are in
aiddesk.services.exchange, which uses the workbook code; the UI reaches both through services only."""

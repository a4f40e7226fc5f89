"""Use cases, one transaction each; they stamp edits and write the audit trail.

Grouped by feature: desk/ (setup, settings, labels, consent, dump and check), intake/, people/,
requests/, matching, roster, deliveries/, exchange/ (export, merge, the exchange folder,
proposals, conflicts, sheet import); history is the trail every feature writes. Services use
aiddesk.store, aiddesk.domain and aiddesk.exchange.workbook; never Qt. The UI calls only these."""

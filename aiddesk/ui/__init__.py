"""Qt only, and it reaches the data through aiddesk.services only (never store or exchange).

One package per screen, each holding its page, widgets, dialogs and table models:
intake/, requests/ (the queue), person/, matching/, deliveries/, volunteers/, exchange/,
conflicts/, settings/. What several screens share is in common/; the window frame (start-up,
main window, single instance, error/first-run/shift dialogs) in shell/. Every screen also uses
context.py (the open desk), retranslate.py (language switch) and workers.py (work off the GUI thread)."""

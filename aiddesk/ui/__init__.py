"""Qt only, and it reaches the data through aiddesk.services only (never store or exchange).

One package per screen, each holding its page, widgets, dialogs and table models:
intake/, requests/ (the queue), person/, matching/, deliveries/, volunteers/, exchange/,
conflicts/, settings/. What several screens share is in common/; the window frame (start-up,
main window, single instance, error/first-run/shift dialogs) and the operation runner every
screen reaches the data through (operations.py, refreshing.py, failures.py) in shell/. Every
screen also uses context.py (the open desk) and retranslate.py (language switch)."""

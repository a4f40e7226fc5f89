"""Repositories: every query AidDesk runs lives in this package.

One module per kind of data or per screen's need; people/ holds the queries about people
(search, one person in full, the checks of the intake, pairs that may be one person) and
exchange/ those of the exchange (record states a merge reads and writes, the exchange folder's
state, proposals, conflicts, known desks, the names sheets and lists show for records)."""

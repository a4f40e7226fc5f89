"""Queries of the exchange: record states a merge reads and writes (record_states), the exchange
folder's local state (folder_state), hand-edit proposals, records in conflict, the desks merged
from (known_desks), and how sheets and lists name the records they mention (sheet_refs,
record_labels)."""

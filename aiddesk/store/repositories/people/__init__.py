"""Queries about people: finding callers (search), one person in full (detail), the checks the
intake makes about a caller (intake_checks), and pairs that may be one person (same_person)."""

"""Use cases, one transaction each; they stamp edits and write the audit trail."""

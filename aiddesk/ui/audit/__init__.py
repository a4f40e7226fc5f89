"""The audit trail screen: who did what and when, for coordinators."""

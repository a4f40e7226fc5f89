"""Repositories: every query AidDesk runs lives in this package."""

"""Widgets and table models several screens share: tables, titles, field errors, list panels, the
availability grid, the windowed and short-list models."""

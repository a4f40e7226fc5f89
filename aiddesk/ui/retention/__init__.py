"""Retention while the window is open: the daily run (keeper.py)."""

"""AidDesk: offline-first intake, roster and delivery desk for mutual-aid phone lines."""

__version__ = "0.1.0"

"""The desk itself: setting it up and its settings (setup), need categories and zones (labels), the
consent script (consent), and whole-database views: the dump and the health check (records)."""

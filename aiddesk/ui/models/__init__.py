"""Qt table models over repositories (SQL windows, never a big Python list)."""

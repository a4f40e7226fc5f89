"""The schema revision this version of AidDesk expects."""

# The newest revision in migrations/versions (a test keeps it equal to Alembic's head).
HEAD = "0009"

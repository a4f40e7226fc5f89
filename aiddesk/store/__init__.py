"""Storage: SQLAlchemy models, engine, repositories, backups and migrations.

The only package that writes queries."""

"""The one SQLAlchemy MetaData every read-model table is defined in (SQLite and PostgreSQL)."""

from sqlalchemy import MetaData

metadata = MetaData()

"""The store: SQLite by default. Only this package speaks SQL."""
from .sqlite import Store, open_store

__all__ = ["Store", "open_store"]

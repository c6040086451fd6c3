"""The dashboard and its JSON API (``filiere serve``): read-only pages and endpoints over a store.

``app.py`` builds the FastAPI application; ``queries.py`` holds the query functions that a page and its JSON
twin under ``/api/`` both call; ``labels.py`` the French and English words of the pages.
"""

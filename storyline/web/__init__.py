"""``storyline serve``: a read-only web app and JSON API over a built database.

``create_app(db)`` makes the FastAPI app; ``storyline.api.web_app`` is how
the CLI reaches it.  Pages are rendered on the server (Jinja2, autoescaped,
no JavaScript); the JSON API lives under ``/api/``.  Both read through
``storyline.query`` on a store opened read-only for each request.
"""

from .app import create_app

__all__ = ["create_app"]

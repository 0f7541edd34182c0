"""Storyline: from a pile of news articles to a dated, sourced picture of a story."""

__version__ = "0.1.0"

from .api import brief, build, export, search, show, timeline  # noqa: E402

__all__ = ["build", "timeline", "brief", "export", "show", "search"]

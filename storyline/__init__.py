"""Storyline: from a pile of news articles to a dated, sourced picture of a story."""

__version__ = "0.1.0"

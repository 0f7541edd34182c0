"""Storyline: from a pile of news articles to a dated, sourced picture of a story."""

__version__ = "0.1.0"

__all__ = ["build", "relink", "timeline", "brief", "export", "export_flat", "show", "search"]


def __getattr__(name: str):
    # The API loads on first use, so importing one stage (say
    # storyline.annotate.time) does not pull in the store and the outputs.
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")

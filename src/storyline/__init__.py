"""Storyline: turn many news articles about one developing story into a sourced, dated picture.

In a notebook::

    import storyline
    story = storyline.open("story.db")
    story.quotes(as_frame=True)       # who said what, with outlet and date (pandas optional)

Library use::

    from storyline import Settings, ingest, open_store, iter_articles

    summary = ingest(["demo/corpus"], Settings(db="story.db"))
    for article in iter_articles(open_store("story.db")):
        print(article.outlet, article.published, article.title)
"""

from __future__ import annotations

from .errors import ConfigError, ExtractError, FetchError, InputError, StoreError, StorylineError
from .export.records import export_document
from .models import Article, Evidence, Failure, IngestSummary, RawDocument, Removal
from .flow import clean_document, ingest
from .settings import Settings, load_settings
from .store.articles import iter_articles, load_article, search
from .store.schema import connect as open_store
from .reader import Reader, open_reader as open  # noqa: A001 - storyline.open("story.db"), as the docs say

__all__ = [
    "Article", "Evidence", "Failure", "IngestSummary", "RawDocument", "Removal",
    "Settings", "load_settings",
    "clean_document", "ingest", "export_document",
    "open_store", "iter_articles", "load_article", "search", "open", "Reader",
    "StorylineError", "InputError", "FetchError", "ExtractError", "StoreError", "ConfigError",
]

__version__ = "0.1.0"

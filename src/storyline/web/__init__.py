"""The web app: the report's pages served live, search, an ingest form and a JSON API (the only package that imports FastAPI)."""

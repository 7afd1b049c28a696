"""Exports for other tools.

- ``records``: the record form of every stored fact and the one-document exports (JSON, JSON lines).
- ``tables``: flat tables (one per section, outlet and date joined in) as CSV or Parquet files.
- ``jsonld``: claim groups as schema.org ``Claim`` JSON-LD.
- ``graphml``: the attribution network (who cites whom, actor co-mentions) for Gephi.
- ``datasette``: a metadata file for browsing the database in datasette.
"""

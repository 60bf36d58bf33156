"""Library layer: the SQLite store of reports, their search index and reading state."""

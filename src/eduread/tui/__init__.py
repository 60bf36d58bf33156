"""The reader: the Textual app and its widgets (the only layer that imports Textual)."""

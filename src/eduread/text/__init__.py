"""Text layer: bytes to clean text; no parsing, no UI."""

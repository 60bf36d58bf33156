"""eduread: read, compare and search Chinese education bureaus' annual work reports."""

__version__ = "0.1.0"

"""Let `python -m eduread` behave exactly like the `eduread` command."""

from eduread.cli import entry

entry()

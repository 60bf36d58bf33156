"""CLI subcommands: thin faces over the parse, library and analysis layers."""

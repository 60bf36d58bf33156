"""Screens of the reader that each answer one question across the library (figures, trends, topics, notes)."""

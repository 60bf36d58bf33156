"""Parse layer: cleaned text to a Report (title, place, parts, outline, figures); no UI, no jieba."""

from eduread.parse.model import Figure, Part, Region, Report, Section
from eduread.parse.report import parse_bytes, parse_file, parse_text

__all__ = ["Figure", "Part", "Region", "Report", "Section", "parse_bytes", "parse_file", "parse_text"]

"""Analysis over parsed reports: topics, alignment for comparison, figure matching."""

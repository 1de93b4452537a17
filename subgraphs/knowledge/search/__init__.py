"""Full-text search over articles and solutions (SQLite FTS5)."""

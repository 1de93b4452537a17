"""Content items and their revisions."""

"""The scopes content checks (defined by auth's roles)."""

from __future__ import annotations

CONTENT_READ = "content:read"
"""Unpublished items (drafts, in review, approved), revision history, diffs, reviews, jobs."""
CONTENT_WRITE = "content:write"
"""Create and revise items and templates, submit for review, generate content."""
CONTENT_REVIEW = "content:review"
"""Approve, send back and publish."""

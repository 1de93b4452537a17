"""The scopes analytics checks (defined by auth's roles): reading metrics, writing server events."""

from __future__ import annotations

ANALYTICS_READ = "analytics:read"
"""Dashboards: per-user figures (active users) and internal metrics (queries, tickets, generation)."""
ANALYTICS_WRITE = "analytics:write"
"""Our own services report server-side events (tickets, generated content) and may name any user."""

"""The scopes the knowledge subgraph checks (granted by auth's roles, ``subgraphs/auth/users/roles.py``).

Published knowledge is public; drafts, reviews, archives and version histories need
``knowledge:read``; every mutation needs ``knowledge:write``.
"""

from __future__ import annotations

KNOWLEDGE_READ = "knowledge:read"
KNOWLEDGE_WRITE = "knowledge:write"

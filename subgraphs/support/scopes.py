"""The scopes support checks (granted per role by auth's ``subgraphs/auth/users/roles.py``).

The strings are the contract; support does not import auth, so they are repeated here.
"""

from __future__ import annotations

SUPPORT_READ = "support:read"  # every ticket, internal notes included (agents, analysts)
SUPPORT_WRITE = "support:write"  # work tickets: open for anyone, assign, move, reply, note (agents)
SUPPORT_OWN = "support:own"  # a customer's own tickets: read, open, reply, solve, reopen, rate

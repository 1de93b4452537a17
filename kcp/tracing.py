"""W3C Trace Context: each request joins the client's trace, or starts one, and passes it on.

The router is one hop of the trace: subgraphs get a ``traceparent`` with the client's trace id
(or a new one) and a span id of the router's own. Every process takes the trace id as the request
id of each log line about the request (``kcp.telemetry``), so one grep follows a request through
the router and the subgraphs.
"""

from __future__ import annotations

import re
import secrets

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
INVALID_TRACE = "0" * 32
INVALID_SPAN = "0" * 16


def continue_trace(traceparent: str | None) -> tuple[str, str]:
    """The trace id, and the ``traceparent`` to send to subgraphs (a new span in that trace)."""
    match = TRACEPARENT.match((traceparent or "").strip().lower())
    if match and match.group(1) != INVALID_TRACE and match.group(2) != INVALID_SPAN:
        trace_id, flags = match.group(1), match.group(3)
    else:
        trace_id, flags = secrets.token_hex(16), "01"
    return trace_id, f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"

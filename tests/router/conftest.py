"""Router fixtures; the harness itself lives in ``router_harness`` under a name no other test dir uses."""

from router_harness import router, subgraphs

__all__ = ["router", "subgraphs"]

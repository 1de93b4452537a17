"""Compose subgraph SDLs (``{ _service { sdl } }``) into a supergraph SDL in Apollo's format.

v0 composition: it merges types, records who resolves what with ``@join__*`` directives, and
rejects the mistakes that would make plans wrong (conflicting field types, value-type fields
resolved twice without ``@shareable``, entities nobody can resolve, field sets naming unknown
fields). Apollo's full satisfiability check is a later issue.
"""

from router.compose.merge import compose
from router.compose.subgraph import CompositionError

__all__ = ["CompositionError", "compose"]

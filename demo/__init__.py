"""The demo dataset of a consumer-audio brand, generated deterministically from a fixed seed.

``generate()`` returns the same ``DemoData`` on every call and every machine; each subgraph's
``seed.py`` loads its own slice of it. Ids are stable strings, so seeding twice changes nothing.
"""

# The submodule `demo.generate` is imported here, before `def generate` below: importing a submodule
# binds it as an attribute of this package, so importing it lazily inside `generate()` would replace
# the function with the module and a second `demo.generate()` call would fail. Importing it costs
# only the hand-written data tables; the dataset itself is built on the first call.
from demo.generate import build as _build
from demo.model import DemoData

__all__ = ["DemoData", "generate"]


def generate() -> DemoData:
    """The full demo dataset (cached: it is built once per process)."""
    return _build()

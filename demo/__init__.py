"""The demo dataset of a consumer-audio brand, generated deterministically from a fixed seed.

``generate()`` returns the same ``DemoData`` on every call and every machine; each subgraph's
``seed.py`` loads its own slice of it. Ids are stable strings, so seeding twice changes nothing.
"""

from demo.model import DemoData

__all__ = ["DemoData", "generate"]


def generate() -> DemoData:
    """The full demo dataset (cached: it is built once per process)."""
    from demo.generate import build  # noqa: PLC0415 - keeps `import demo` cheap

    return build()

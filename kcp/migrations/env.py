"""Alembic's environment, shared by every subgraph's history: see ``kcp.migrations``."""

from kcp.migrations import run_environment

run_environment()

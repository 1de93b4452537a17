"""The committed schema files match what the subgraphs and the composer produce now."""

from __future__ import annotations

from commands import schema_files


def test_committed_schema_files_are_current() -> None:
    stale = schema_files.stale_files()
    assert not stale, f"stale schema files {[str(p) for p in stale]}: run `.venv/bin/kcp schema` and commit them"


def test_supergraph_joins_every_subgraph() -> None:
    supergraph = next(f for f in schema_files.expected_files() if f.path.name == "supergraph.graphql").text
    for name in ("knowledge", "content", "support", "analytics", "auth"):
        assert f'@join__graph(name: "{name}", url: "http://127.0.0.1:' in supergraph

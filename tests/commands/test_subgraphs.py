"""The command line's list of subgraphs matches the ports the settings declare, and each loads."""

from __future__ import annotations

from commands.subgraphs import SUBGRAPHS, load, service_migrations
from kcp.settings import SUBGRAPH_PORTS


def test_every_subgraph_has_a_port_and_every_port_a_subgraph() -> None:
    assert tuple(SUBGRAPH_PORTS) == SUBGRAPHS


def test_each_subgraph_loads_as_a_federation_2_schema() -> None:
    for name in SUBGRAPHS:
        assert load(name).schema.as_str().startswith('schema @link(url: "https://specs.apollo.dev/federation/v2')


def test_only_the_document_only_subgraph_has_no_migrations() -> None:
    assert set(SUBGRAPHS) - set(service_migrations(SUBGRAPHS)) == {"content"}

"""Our router answers like Apollo Gateway on KCP's own graph: the differential test's short run.

A fixed seed's operations (bench/differential/operations.py), anonymous and as each demo role in
turn, sent to our router and to Apollo Gateway over the same running subgraphs; every difference
must be explained by a rule of bench/differential/compare.py. ``make differential`` is the long
run. Needs Node and the gateway's npm packages (``make test`` installs them): skipped without
them, except under CI, where it fails.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

import pytest
from launching import launch

import demo
from bench.differential import apollo
from bench.differential.run import DIVERGENCES_OFF, ROLES, operations, run
from router.supergraph import load_supergraph_file

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

SEED = 20261207
COUNT = 30 * len(ROLES)


@pytest.fixture(scope="module")
def platform_and_logs(
    seeded_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Platform, Path]]:
    logs = tmp_path_factory.mktemp("logs")
    # Our rate limit and subgraph timeout are deliberate divergences: raised out of the way.
    running = launch(seeded_data_dir, logs, DIVERGENCES_OFF)
    try:
        yield running, logs
    finally:
        running.stop()


@pytest.fixture(scope="module")
def gateway(platform_and_logs: tuple[Platform, Path]) -> Iterator[apollo.ApolloGateway]:
    reason = apollo.missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI must run the comparison, never skip it
        pytest.skip(reason)
    platform, logs = platform_and_logs
    subgraphs = {name: platform.url(name) + "/graphql" for name in platform.processes if name != "router"}
    with (logs / "apollo-gateway.log").open("wb") as log:
        running = apollo.ApolloGateway(subgraphs, log)
        try:
            yield running
        finally:
            running.stop()


def test_every_difference_from_apollo_gateway_is_explained_by_a_rule(
    platform_and_logs: tuple[Platform, Path], gateway: apollo.ApolloGateway
) -> None:
    platform, logs = platform_and_logs
    schema = load_supergraph_file(logs / "supergraph.graphql").api_schema
    data = demo.generate()
    ops = operations(schema, data, seed=SEED, count=COUNT)
    report = asyncio.run(run(platform.router_url, gateway.url, ops, password=data.demo_password))
    assert report.operations == COUNT
    assert all(counts.operations == COUNT // len(ROLES) for counts in report.by_role.values())
    unexplained = [f"as {d.role}: {d.operation.query} {d.operation.variables}\n{d.detail}" for d in report.differences]
    assert unexplained == []

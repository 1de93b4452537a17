"""One entity fetch for several paths must answer each path as its own fetch would.

The router batches the entity fetches of one plan step that go to the same subgraph into one
``_entities`` request, and sends a representation shared by several paths once. The subgraph then
completes each entity for the union of the paths' fields, so an error in a non-null field that one
path asked for nulls the entity for every path. The rule: an error, and the null it causes, land
only on the path that asked for the failing field; another path keeps the fields it asked for,
and a path that found no objects (under a list that was itself refused) gets no error at all.
And every object that shares a representation and asked for the field gets the error, as each
would had its representation been sent on its own.

Two small subgraphs of their own (a desk whose tickets reference users, and the people who own
them), served over HTTP, composed by the router, queried over HTTP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
import strawberry
from router_harness import Recorder, ServerThread, create_app, router_client, settings
from strawberry.asgi import GraphQL
from strawberry.federation.schema_directives import Key

from router.compose import compose

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    import httpx

pytestmark = pytest.mark.asyncio


# --- the desk: one ticket whose customer and assignee are the same user --------------------------


@strawberry.federation.type(name="User", keys=[Key(fields="id", resolvable=False)])
class DeskUser:
    id: strawberry.ID


@strawberry.type
class Ticket:
    id: strawberry.ID
    customer: DeskUser | None
    assignee: DeskUser | None

    @strawberry.field
    def watchers(self) -> list[DeskUser] | None:
        # Refused: null with an error, so a path under it finds no objects.
        msg = "Missing scope desk:watchers"
        raise PermissionError(msg)

    @strawberry.field
    def followers(self) -> list[DeskUser]:
        return [DeskUser(id=strawberry.ID("u1"))]

    @strawberry.field
    def team(self) -> list[DeskUser]:
        # The same user twice: one representation for both.
        return [DeskUser(id=strawberry.ID("u1")), DeskUser(id=strawberry.ID("u1"))]


@strawberry.type
class DeskQuery:
    @strawberry.field
    def ticket(self) -> Ticket:
        ada = DeskUser(id=strawberry.ID("u1"))
        return Ticket(id=strawberry.ID("t1"), customer=ada, assignee=ada)


# --- the people: who owns User; one non-null field and one nullable field always refuse ---------


@strawberry.federation.type(name="User", keys=["id"])
class Person:
    id: strawberry.ID
    name: str
    nickname: str | None

    @strawberry.field
    def email(self) -> str:
        # Non-null: the subgraph nulls the whole entity when it fails.
        msg = "Missing scope people:read"
        raise PermissionError(msg)

    @strawberry.field
    def phone(self) -> str | None:
        msg = "Missing scope people:phone"
        raise PermissionError(msg)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Person:  # noqa: A002 - the key's name
        return Person(id=id, name="ada", nickname="ada99")


@strawberry.type
class PeopleQuery:
    @strawberry.field
    def people_count(self) -> int:
        return 1


DESK = strawberry.federation.Schema(query=DeskQuery, types=[DeskUser])
PEOPLE = strawberry.federation.Schema(query=PeopleQuery, types=[Person])


@pytest.fixture(scope="module")
def people_recorder() -> Recorder:
    return Recorder(GraphQL(PEOPLE))


@pytest.fixture(scope="module")
def servers(people_recorder: Recorder) -> Iterator[dict[str, ServerThread]]:
    running = {"desk": ServerThread(GraphQL(DESK)), "people": ServerThread(people_recorder)}
    for server in running.values():
        server.start()
    yield running
    for server in running.values():
        server.stop()


@pytest_asyncio.fixture
async def router(
    servers: dict[str, ServerThread], people_recorder: Recorder, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    supergraph = tmp_path / "supergraph.graphql"
    schemas = {"desk": DESK, "people": PEOPLE}
    sdls = {name: (server.url, schemas[name].as_str()) for name, server in servers.items()}
    supergraph.write_text(compose(sdls), encoding="utf-8")
    people_recorder.clear()
    async with router_client(create_app(settings(), supergraph)) as client:
        yield client


async def ask(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def paths(body: dict[str, Any]) -> list[list[str | int]]:
    return sorted((error.get("path") for error in body.get("errors", [])), key=str)


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "{ ticket { customer { email } assignee { name } } }",
        "{ ticket { assignee { name } customer { email } } }",
    ],
)
async def test_a_non_null_error_on_one_path_leaves_the_same_entity_on_another_path(
    router: httpx.AsyncClient, query: str
) -> None:
    body = await ask(router, query)
    assert body["data"]["ticket"]["customer"] is None
    assert body["data"]["ticket"]["assignee"] == {"name": "ada"}
    assert paths(body) == [["ticket", "customer", "email"]]


async def test_a_nullable_error_is_reported_only_where_the_field_was_asked(router: httpx.AsyncClient) -> None:
    body = await ask(router, "{ ticket { assignee { name } customer { phone nickname } } }")
    assert body["data"] == {"ticket": {"assignee": {"name": "ada"}, "customer": {"phone": None, "nickname": "ada99"}}}
    assert paths(body) == [["ticket", "customer", "phone"]]


async def test_a_path_under_a_refused_list_adds_no_error_elsewhere(router: httpx.AsyncClient) -> None:
    body = await ask(router, "{ ticket { assignee { name } watchers { email } } }")
    assert body["data"] == {"ticket": {"assignee": {"name": "ada"}, "watchers": None}}
    assert paths(body) == [["ticket", "watchers"]]


async def test_an_error_under_a_list_path_is_reported_there_and_not_on_the_other_path(
    router: httpx.AsyncClient,
) -> None:
    body = await ask(router, "{ ticket { assignee { nickname } followers { email } } }")
    # followers is [User!]!: the null follower nulls the list, which nulls the (non-null) ticket.
    assert body["data"] is None
    assert paths(body) == [["ticket", "followers", 0, "email"]]
    body = await ask(router, "{ ticket { assignee { email } followers { nickname } } }")
    assert body["data"] == {"ticket": {"assignee": None, "followers": [{"nickname": "ada99"}]}}
    assert paths(body) == [["ticket", "assignee", "email"]]


async def test_paths_asking_for_different_fields_still_share_one_request_without_errors(
    router: httpx.AsyncClient, people_recorder: Recorder
) -> None:
    body = await ask(router, "{ ticket { customer { name } assignee { nickname } followers { id name } } }")
    assert body == {
        "data": {
            "ticket": {
                "customer": {"name": "ada"},
                "assignee": {"nickname": "ada99"},
                "followers": [{"id": "u1", "name": "ada"}],
            }
        }
    }
    requests = people_recorder.entity_requests()
    assert len(requests) == 1
    assert requests[0]["variables"]["representations"] == [{"__typename": "User", "id": "u1"}]


async def test_every_object_sharing_a_representation_gets_its_error(
    router: httpx.AsyncClient, people_recorder: Recorder
) -> None:
    body = await ask(router, "{ ticket { team { phone name } } }")
    assert body["data"] == {"ticket": {"team": [{"phone": None, "name": "ada"}, {"phone": None, "name": "ada"}]}}
    assert paths(body) == [["ticket", "team", 0, "phone"], ["ticket", "team", 1, "phone"]]
    assert [r["variables"]["representations"] for r in people_recorder.entity_requests()] == [
        [{"__typename": "User", "id": "u1"}]
    ]


async def test_paths_asking_for_the_same_fields_each_get_the_error(router: httpx.AsyncClient) -> None:
    body = await ask(router, "{ ticket { customer { phone } assignee { phone } } }")
    assert body["data"] == {"ticket": {"customer": {"phone": None}, "assignee": {"phone": None}}}
    assert paths(body) == [["ticket", "assignee", "phone"], ["ticket", "customer", "phone"]]

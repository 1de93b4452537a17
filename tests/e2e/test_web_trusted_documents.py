"""The web app's trusted documents against a router that refuses free-form queries.

``schema/persisted/web.json`` is built from ``web/graphql/*.graphql`` by GraphQL Code Generator
(``npm run codegen`` in ``web/``) and loaded by the router like every manifest in
``schema/persisted/``. Here the platform runs with ``KCP_PERSISTED_FREEFORM=enforce`` and every
operation of the manifest is sent the way the app sends it, by id only, through the flows the app
has (help centre, sign-in and refresh, a customer's ticket, an agent's reply): all run, while the
free-form text outside the manifest is refused. The browser tests (``make web-test``) run the pages
themselves on such a router.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from graphql import OperationDefinitionNode, parse

from kcp.settings import PERSISTED_DIR
from tests.e2e.launching import launch

if TYPE_CHECKING:
    from collections.abc import Iterator

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

WEB_GRAPHQL = Path(__file__).resolve().parents[2] / "web" / "graphql"
PASSWORD = "soundcore-demo"  # noqa: S105 - the published demo logins (README)


def manifest() -> dict[str, dict[str, str]]:
    raw = json.loads((Path.cwd() / PERSISTED_DIR / "web.json").read_text(encoding="utf-8"))
    return {entry["name"]: entry for entry in raw["operations"]}


@pytest.fixture(scope="module")
def enforcing(seeded_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    running = launch(seeded_data_dir, tmp_path_factory.mktemp("logs"), {"KCP_PERSISTED_FREEFORM": "enforce"})
    try:
        yield running
    finally:
        running.stop()


class App:
    """Calls the router as the app's server does: a manifest id, variables, maybe a token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.operations = manifest()
        self.used: set[str] = set()

    def send(self, name: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        self.used.add(name)
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = {
            "variables": variables or {},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": self.operations[name]["id"]}},
        }
        answer: dict[str, Any] = httpx.post(self.url, json=body, headers=headers, timeout=60).json()
        return answer

    def data(self, name: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        answer = self.send(name, variables, token)
        assert "errors" not in answer, (name, answer.get("errors"))
        data: dict[str, Any] = answer["data"]
        return data


def test_every_operation_of_the_app_is_in_the_manifest() -> None:
    names = {
        definition.name.value
        for path in WEB_GRAPHQL.glob("*.graphql")
        for definition in parse(path.read_text(encoding="utf-8")).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    }
    assert names, f"no operations found under {WEB_GRAPHQL}"
    assert names == set(manifest()), "schema/persisted/web.json is stale: run `npm run codegen` in web/"


def test_free_form_text_outside_the_manifest_is_refused(enforcing: Platform) -> None:
    listed = manifest()["HomePage"]["body"]
    # Exactly a listed text is that trusted document; anything else is not, however close.
    changed = listed.replace("totalCount", "totalCount pageInfo { hasNextPage }")
    for query, expected in ((listed, []), (changed, ["PERSISTED_QUERY_NOT_IN_LIST"])):
        answer = httpx.post(enforcing.router_url, json={"query": query}, timeout=60).json()
        assert [error["extensions"]["code"] for error in answer.get("errors", [])] == expected


def test_the_app_runs_on_its_trusted_documents_alone(enforcing: Platform) -> None:
    app = App(enforcing.router_url)
    product = help_centre(app)
    customer_and_agent(app)
    studio_and_analytics(app, product["id"])
    assert app.used == set(app.operations), f"operations never sent: {sorted(set(app.operations) - app.used)}"


def help_centre(app: App) -> dict[str, Any]:
    home = app.data("HomePage")
    assert home["products"]["totalCount"] > 0
    slugs = [edge["node"]["slug"] for edge in app.data("ProductSlugs")["products"]["edges"]]
    assert "liberty-4-nc" in slugs
    product: dict[str, Any] = app.data("ProductPage", {"slug": "liberty-4-nc"})["productBySlug"]
    assert product["knownIssues"]
    assert product["knownIssues"][0]["solutions"]
    assert product["related"]
    article_slug = app.data("ArticleSlugs")["articles"]["edges"][0]["node"]["slug"]
    assert app.data("ArticlePage", {"slug": article_slug})["articleBySlug"]["slug"] == article_slug
    hits = app.data("SearchPage", {"query": "charging", "first": 5, "kinds": None, "articleKind": None})
    assert hits["search"]["edges"]
    assert "text" in app.data("AskPage", {"question": "my left bud stays at 0% in the case"})["ask"]
    assert app.data("ProductChoices")["products"]["edges"]
    tracked = app.data("TrackEvents", {"inputs": [{"kind": "PAGE_VIEW", "productId": product["id"]}]})
    assert len(tracked["trackEvents"]) == 1
    return product


def customer_and_agent(app: App) -> None:
    product_id = app.data("ProductChoices")["products"]["edges"][0]["node"]["id"]
    # A customer signs in, sees suggestions, opens a ticket and writes on it; the session rotates.
    login = app.data("Login", {"email": "customer@soundcore.example", "password": PASSWORD})["login"]
    customer = login["accessToken"]
    assert app.data("Me", token=customer)["me"]["role"] == "CUSTOMER"
    assert app.data("SuggestSolutions", {"query": "left earbud will not charge", "product": None})["search"] is not None
    ticket = app.data(
        "CreateTicket",
        {
            "input": {
                "subject": "Left bud",
                "description": "It stays at 0%",
                "productId": product_id,
                "channel": "WEB",
            },
            "idempotencyKey": "web-test-1",
        },
        customer,
    )["createTicket"]
    assert app.data("MyTickets", token=customer)["tickets"]["totalCount"] >= 1
    app.data(
        "AddTicketMessage",
        {"ticketId": ticket["id"], "body": "Still broken", "internal": False, "idempotencyKey": None},
        customer,
    )
    rotated = app.data("Refresh", {"refreshToken": login["refreshToken"]})["refresh"]
    assert rotated["refreshToken"] != login["refreshToken"]
    assert app.data("Logout", {"refreshToken": rotated["refreshToken"]})["logout"] is True

    # An agent works the queue: suggestions, assignment, a reply, a status change.
    agent_login = app.data("Login", {"email": "agent@soundcore.example", "password": PASSWORD})["login"]
    agent = agent_login["accessToken"]
    open_newest = {"status": ["OPEN"], "priority": None, "unassigned": False, "sort": "NEWEST"}
    answer = app.send("AgentQueue", open_newest, agent)
    # The e2e modules share one seeded data folder, and another module files tickets whose product
    # and customer do not exist: the queue then answers with those references null and NOT_FOUND.
    # Any other error, or one on the ticket this flow opened, is a failure.
    queue = answer["data"]
    ours = next(i for i, edge in enumerate(queue["tickets"]["edges"]) if edge["node"]["id"] == ticket["id"])
    assert queue["tickets"]["edges"][ours]["node"]["product"] is not None
    for error in answer.get("errors", []):
        assert error["extensions"]["code"] == "NOT_FOUND", error
        assert error["path"][:3] == ["tickets", "edges", error["path"][2]], error
        assert error["path"][2] != ours, error
    assert app.data("TicketSuggestions", {"id": ticket["id"]}, agent)["ticket"]["id"] == ticket["id"]
    assigned = app.data("AssignTicket", {"ticketId": ticket["id"], "assigneeId": agent_login["user"]["id"]}, agent)
    assert assigned["assignTicket"]["assignee"]["id"] == agent_login["user"]["id"]
    app.data(
        "AddTicketMessage",
        {"ticketId": ticket["id"], "body": "Please reset the case", "internal": False, "idempotencyKey": None},
        agent,
    )
    app.data("TransitionTicket", {"ticketId": ticket["id"], "status": "PENDING"}, agent)
    seen = app.data("TicketPage", {"id": ticket["id"], "includeInternal": False}, customer)["ticket"]
    assert [m["body"] for m in seen["messages"]][-2:] == ["Still broken", "Please reset the case"]
    assert seen["status"] == "PENDING"


def studio_and_analytics(app: App, product_id: str) -> None:
    # An editor drafts from the product's facts and moves it along; an analyst reads the metrics.
    editor = app.data("Login", {"email": "editor@soundcore.example", "password": PASSWORD})["login"]["accessToken"]
    assert app.data("StudioItems", {"productId": product_id, "status": None}, editor)["contentItems"]["totalCount"] > 0
    job = app.data("GenerateContent", {"input": {"productId": product_id, "kind": "FAQ_DRAFT"}}, editor)
    draft = job["generateContent"]["contentItem"]["id"]
    assert app.data("StudioItem", {"id": draft}, editor)["contentItem"]["status"] == "DRAFT"
    moved = app.data("TransitionContentItem", {"id": draft, "to": "IN_REVIEW", "comment": None}, editor)
    assert moved["transitionContentItem"]["status"] == "IN_REVIEW"
    diff = app.data("StudioDiff", {"id": "cnt-0014", "from": 1, "to": 2}, editor)["contentItem"]["diff"]
    assert diff["unified"]
    analyst = app.data("Login", {"email": "analyst@soundcore.example", "password": PASSWORD})["login"]["accessToken"]
    window = {"from": "2026-01-01T00:00:00Z", "to": "2026-11-01T00:00:00Z", "bucket": "WEEK"}
    assert app.data("AnalyticsPage", window, analyst)["metrics"]["searchVolume"]

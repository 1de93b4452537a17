"""The auth subgraph's ASGI app (``uvicorn --factory subgraphs.auth.app:create_app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import Settings, get_settings
from subgraphs.auth.context import AuthContextFactory
from subgraphs.auth.schema import schema
from subgraphs.auth.stores import SERVICE, AuthStores
from subgraphs.auth.tokens.jwks import jwks_route
from subgraphs.auth.tokens.service import TokenService
from subgraphs.auth.users.passwords import PasswordService
from subgraphs.auth.users.repository import UserRepository
from subgraphs.auth.users.service import UserService

if TYPE_CHECKING:
    from starlette.applications import Starlette


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    stores = AuthStores.open(settings)
    repository = UserRepository(stores.relational)
    passwords = PasswordService()
    tokens = TokenService(settings, settings.service_data_dir(SERVICE))
    users = UserService(repository, passwords, tokens)
    service = SubgraphService(
        name=SERVICE,
        schema=schema,
        context_factory=AuthContextFactory(users=users, tokens=tokens, repository=repository),
        readiness={"relational": stores.relational.ping},
        startup=[stores.ensure_schema, tokens.start, passwords.warm_up],
        shutdown=[stores.close],
    )
    app = create_subgraph_app(service)
    app.router.routes.append(jwks_route(tokens))
    app.state.stores = stores
    return app

"""Use cases of templates: save one (content:write), fill one into a new draft item."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog

from kcp.errors import NotFoundError
from kcp.pagination import check_first
from subgraphs.content.items.errors import InvalidContentInputError
from subgraphs.content.items.service import (
    MAX_BODY_LENGTH,
    MAX_TITLE_LENGTH,
    checked_kind,
    checked_locale,
    required_text,
)
from subgraphs.content.scopes import CONTENT_WRITE
from subgraphs.content.templates.placeholders import fill, variables_of
from subgraphs.content.templates.repository import TemplateRecord

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kcp.identity import Identity
    from subgraphs.content.templates.repository import TemplateRepository

log = structlog.get_logger()


class TemplateNotFoundError(NotFoundError):
    def __init__(self, template_id: str) -> None:
        super().__init__(f"Template {template_id!r} does not exist.")


@dataclass(frozen=True, slots=True)
class NewTemplate:
    name: str
    kind: str
    locale: str
    body: str
    description: str = ""


class TemplateService:
    def __init__(self, repository: TemplateRepository) -> None:
        self._repository = repository

    async def get(self, template_id: str) -> TemplateRecord:
        found = await self._repository.by_ids([template_id])
        if not found:
            raise TemplateNotFoundError(template_id)
        return found[0]

    async def list(self, *, kind: str | None, first: int) -> list[TemplateRecord]:
        return await self._repository.list(kind=kind, limit=check_first(first))

    async def create(self, identity: Identity, new: NewTemplate) -> TemplateRecord:
        author = identity.require(CONTENT_WRITE).subject or "unknown"
        name = required_text(new.name, "name", max_length=MAX_TITLE_LENGTH)
        body = required_text(new.body, "body", max_length=MAX_BODY_LENGTH)
        variables = variables_of(body)
        if not variables:
            msg = "a template needs at least one {{variable}}; without one, create a content item."
            raise InvalidContentInputError(msg)
        if await self._repository.by_name(name) is not None:
            msg = f"a template named {name!r} exists already."
            raise InvalidContentInputError(msg)
        template = TemplateRecord(
            id=f"tpl-{uuid.uuid4().hex[:12]}",
            name=name,
            kind=checked_kind(new.kind),
            locale=checked_locale(new.locale),
            description=new.description.strip()[:MAX_TITLE_LENGTH],
            body=body,
            variables=tuple(variables),
            created_by=author,
            created_at=datetime.now(UTC),
        )
        await self._repository.insert(template)
        log.info("content.template_created", template_id=template.id, variables=len(variables))
        return template


def render(template: TemplateRecord, values: Mapping[str, str]) -> str:
    """The template's body with ``values`` filled in (every variable, and nothing else)."""
    return fill(template.body, values, declared=list(template.variables))

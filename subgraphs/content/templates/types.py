"""The public GraphQL type of templates."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads field annotations at runtime

import strawberry

from subgraphs.content.items.kinds import ContentKind
from subgraphs.content.templates.repository import TemplateRecord  # noqa: TC001 - runtime mapper argument
from subgraphs.content.users import User

FACT_VARIABLES = (
    "product_name, product_description, product_series, product_tag, feature_list, feature_headline, "
    "spec_list, latest_firmware, known_issue_list"
)


@strawberry.type(description="A reusable body with {{variable}} placeholders.")
class ContentTemplate:
    id: strawberry.ID
    name: str
    kind: ContentKind
    locale: str
    description: str
    body: str
    variables: list[str] = strawberry.field(
        description=f"Placeholders in order of first use. generateContent fills these facts itself: {FACT_VARIABLES}."
    )
    created_by: User
    created_at: datetime

    @classmethod
    def from_record(cls, record: TemplateRecord) -> ContentTemplate:
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            kind=ContentKind(record.kind),
            locale=record.locale,
            description=record.description,
            body=record.body,
            variables=list(record.variables),
            created_by=User(id=strawberry.ID(record.created_by)),
            created_at=record.created_at,
        )


@strawberry.input(description="One {{variable}} and the text to put in its place.")
class TemplateVariableInput:
    name: str
    value: str

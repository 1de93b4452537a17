"""What a content item is for: shared by items, templates and generation."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="What a content item is for.")
class ContentKind(Enum):
    PRODUCT_DESCRIPTION = "product_description"
    MARKETING_EMAIL = "marketing_email"
    SOCIAL_POST = "social_post"
    SUPPORT_MACRO = "support_macro"
    FAQ_DRAFT = "faq_draft"

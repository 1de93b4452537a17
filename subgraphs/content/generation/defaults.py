"""The built-in template of each content kind, used when a generation names no template.

Every variable here is a product fact (``ProductFacts.variables``), so they always fill.
"""

from __future__ import annotations

DEFAULT_BODIES: dict[str, str] = {
    "product_description": (
        "# {{product_name}}\n\n{{product_description}}\n\n## Highlights\n{{feature_list}}\n\n"
        "## Specifications\n{{spec_list}}\n"
    ),
    "marketing_email": (
        "Subject: Meet {{product_name}}\n\nHi there,\n\n{{product_description}}\n\n"
        "What you get:\n{{feature_list}}\n\nFind out more at soundcore.com.\n"
    ),
    "social_post": "{{product_name}}: {{feature_headline}}. {{product_description}} #{{product_tag}} #soundcore\n",
    "support_macro": (
        "Thanks for contacting Soundcore about your {{product_name}}.\n\n"
        "Please first update to firmware {{latest_firmware}} in the soundcore app. Known issues and what helps:\n"
        "{{known_issue_list}}\n\nIf that does not help, reply to this message and we will take it from there.\n"
    ),
    "faq_draft": (
        "## What is {{product_name}}?\n{{product_description}}\n\n## What can it do?\n{{feature_list}}\n\n"
        "## What are its specifications?\n{{spec_list}}\n\n## Is there a known problem?\n{{known_issue_list}}\n"
    ),
}

DEFAULT_TITLES: dict[str, str] = {
    "product_description": "{name} product description",
    "marketing_email": "{name} marketing e-mail",
    "social_post": "{name} social post",
    "support_macro": "{name} support macro",
    "faq_draft": "{name} FAQ draft",
}

"""Templates: variables checked when saved and when filled into a draft item."""

from __future__ import annotations

import pytest

CREATE_TEMPLATE = """mutation($input: CreateContentTemplateInput!) { createContentTemplate(input: $input) {
  id name kind locale variables createdBy { id } } }"""
FROM_TEMPLATE = """mutation($input: CreateContentFromTemplateInput!) { createContentFromTemplate(input: $input) {
  id kind locale status currentRevision { body note } template { id name } } }"""
TEMPLATE_COUNT = "{ contentTemplates { id } contentItems(first: 100) { totalCount } }"


def template_input(**overrides: str) -> dict[str, str]:
    return {
        "name": "Pairing macro",
        "kind": "SUPPORT_MACRO",
        "locale": "en-US",
        "body": "Hi {{customer_name}}, pair your {{ product_name }} by holding the button. {{customer_name}}?",
    } | overrides


@pytest.mark.asyncio
async def test_a_saved_template_lists_its_variables_and_fills_a_draft(client, editor) -> None:
    created = (await client.gql(CREATE_TEMPLATE, {"input": template_input()}, headers=editor))["data"]
    template = created["createContentTemplate"]
    assert template["variables"] == ["customer_name", "product_name"]
    assert (template["kind"], template["createdBy"]) == ("SUPPORT_MACRO", {"id": "usr-0002"})
    values = [{"name": "customer_name", "value": "Ada"}, {"name": "product_name", "value": "Space One"}]
    filled = await client.gql(
        FROM_TEMPLATE,
        {"input": {"templateId": template["id"], "productId": "prd-space-one", "title": "Macro", "variables": values}},
        headers=editor,
    )
    item = filled["data"]["createContentFromTemplate"]
    assert item["currentRevision"] == {
        "body": "Hi Ada, pair your Space One by holding the button. Ada?",
        "note": "Filled from template 'Pairing macro'.",
    }
    assert (item["kind"], item["locale"], item["status"]) == ("SUPPORT_MACRO", "en-US", "DRAFT")
    assert item["template"] == {"id": template["id"], "name": "Pairing macro"}
    listed = await client.gql("{ contentTemplates(kind: SUPPORT_MACRO) { name } }", headers=editor)
    assert listed["data"]["contentTemplates"] == [{"name": "Pairing macro"}]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "Hi {{Customer}}",
            "template placeholder {{Customer}} is not a variable name (lower case, digits, _; 1 to 40).",
        ),
        ("Hi {{customer", "template has an unclosed or stray '{{' / '}}'."),
        ("Hi customer}}", "template has an unclosed or stray '{{' / '}}'."),
        ("Hi {{}}", "template placeholder {{}} is not a variable name (lower case, digits, _; 1 to 40)."),
        ("No variables at all", "a template needs at least one {{variable}}; without one, create a content item."),
        (" ".join(f"{{{{v{n}}}}}" for n in range(31)), "a template has at most 30 variables; got 31."),
    ],
)
@pytest.mark.asyncio
async def test_bad_templates_are_refused(client, editor, error_codes, body: str, message: str) -> None:
    refused = await client.gql(CREATE_TEMPLATE, {"input": template_input(body=body)}, headers=editor)
    assert error_codes(refused) == ["BAD_USER_INPUT"]
    assert refused["errors"][0]["message"] == message
    assert (await client.gql(TEMPLATE_COUNT, headers=editor))["data"]["contentTemplates"] == [{"id": "tpl-0001"}]


@pytest.mark.asyncio
async def test_filling_needs_every_variable_and_no_other(client, editor, error_codes) -> None:
    def fill(*values: tuple[str, str]) -> dict[str, object]:
        variables = [{"name": n, "value": v} for n, v in values]
        return {"input": {"templateId": "tpl-0001", "productId": "prd-a", "title": "Post", "variables": variables}}

    cases = [
        (fill(("product_name", "X")), "template variables do not match: missing tagline, product_tag."),
        (
            fill(("product_name", "X"), ("tagline", "y"), ("product_tag", "z"), ("mood", "happy")),
            "template variables do not match: unknown mood.",
        ),
        (fill(("product_name", "X"), ("product_name", "Y")), "variable product_name is given twice."),
    ]
    for variables, message in cases:
        body = await client.gql(FROM_TEMPLATE, variables, headers=editor)
        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert body["errors"][0]["message"] == message
    unknown = await client.gql(FROM_TEMPLATE, {"input": {**fill()["input"], "templateId": "tpl-nope"}}, headers=editor)  # type: ignore[dict-item]
    assert error_codes(unknown) == ["NOT_FOUND"]
    # Nothing was written by the refused calls.
    assert (await client.gql(TEMPLATE_COUNT, headers=editor))["data"]["contentItems"]["totalCount"] == 4


@pytest.mark.asyncio
async def test_templates_need_content_scopes(client, as_caller, error_codes) -> None:
    assert error_codes(await client.gql("{ contentTemplates { id } }")) == ["UNAUTHENTICATED"]
    reader = as_caller("content:read", role="partner")
    assert error_codes(await client.gql(CREATE_TEMPLATE, {"input": template_input()}, headers=reader)) == ["FORBIDDEN"]
    seen = await client.gql('{ contentTemplate(id: "tpl-0001") { name variables } }', headers=reader)
    assert seen["data"]["contentTemplate"] == {
        "name": "Launch tweet",
        "variables": ["product_name", "tagline", "product_tag"],
    }

"""A product's facts, read from the knowledge subgraph over HTTP (never by importing it).

Generated copy may only say what knowledge says: name, description, features, specs, firmware
and known issues with their solutions. Knowledge's product reads are public, so no credentials
are forwarded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import structlog

from kcp.edge.signature import signed_json
from kcp.errors import ErrorCode, KcpError, NotFoundError

if TYPE_CHECKING:
    from collections.abc import Mapping

log = structlog.get_logger()

FACTS_QUERY = """query ProductFacts($id: ID!) {
  product(id: $id) {
    id name description series firmwareVersions
    specs { name value }
    features { name description }
    knownIssues { title solutions { title } }
  }
}"""
TIMEOUT_SECONDS = 5.0


class KnowledgeUnavailableError(KcpError):
    code = ErrorCode.UPSTREAM_UNAVAILABLE

    def __init__(self) -> None:
        super().__init__("The knowledge service did not answer; content cannot be grounded now. Try again.")


@dataclass(frozen=True, slots=True)
class ProductFacts:
    id: str
    name: str
    description: str
    series: str
    features: tuple[tuple[str, str], ...]
    specs: tuple[tuple[str, str], ...]
    firmware_versions: tuple[str, ...]
    known_issues: tuple[tuple[str, tuple[str, ...]], ...]
    """(issue title, solution titles)."""

    def variables(self) -> dict[str, str]:
        """The facts as template variables (documented on `ContentTemplate.variables`)."""
        names = [name for name, _ in self.features]
        return {
            "product_name": self.name,
            "product_description": self.description,
            "product_series": self.series,
            "product_tag": re.sub(r"[^A-Za-z0-9]", "", self.name),
            "feature_list": "\n".join(f"- {name}: {text}" for name, text in self.features) or "- (none listed)",
            "feature_headline": ", ".join(names[:3]) or self.series,
            "spec_list": "\n".join(f"- {name}: {value}" for name, value in self.specs) or "- (none listed)",
            "latest_firmware": self.firmware_versions[-1] if self.firmware_versions else "n/a",
            "known_issue_list": "\n".join(
                f"- {title}" + (f" (try: {'; '.join(solutions)})" if solutions else "")
                for title, solutions in self.known_issues
            )
            or "- (no known issues)",
        }

    def summary(self) -> list[str]:
        """One line per fact used, kept on the job so a reviewer can check the copy against them."""
        lines = [f"name: {self.name}", f"series: {self.series}", f"description: {self.description}"]
        lines += [f"feature: {name}" for name, _ in self.features]
        lines += [f"spec: {name} = {value}" for name, value in self.specs]
        if self.firmware_versions:
            lines.append(f"latest firmware: {self.firmware_versions[-1]}")
        lines += [f"known issue: {title}" for title, _ in self.known_issues]
        return lines

    @classmethod
    def from_answer(cls, product: Mapping[str, Any]) -> ProductFacts:
        return cls(
            id=str(product["id"]),
            name=str(product["name"]),
            description=str(product["description"]),
            series=str(product["series"]),
            features=tuple((str(f["name"]), str(f["description"])) for f in product.get("features") or ()),
            specs=tuple((str(s["name"]), str(s["value"])) for s in product.get("specs") or ()),
            firmware_versions=tuple(str(v) for v in product.get("firmwareVersions") or ()),
            known_issues=tuple(
                (str(i["title"]), tuple(str(s["title"]) for s in i.get("solutions") or ()))
                for i in product.get("knownIssues") or ()
            ),
        )


class KnowledgeFacts:
    """Asks knowledge's GraphQL endpoint for a product's facts."""

    def __init__(self, url: str, client: httpx.AsyncClient, secret: str | None = None) -> None:
        self._url = url
        self._client = client
        self._secret = secret  # signs the request: knowledge may accept only KCP services (kcp.edge.signature)

    async def product(self, product_id: str) -> ProductFacts:
        try:
            body, headers = signed_json(
                self._url, {"query": FACTS_QUERY, "variables": {"id": product_id}}, self._secret
            )
            response = await self._client.post(self._url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("content.knowledge_unavailable", error=type(error).__name__)
            raise KnowledgeUnavailableError from error
        product = (body.get("data") or {}).get("product") if isinstance(body, dict) else None
        if product is None:
            if isinstance(body, dict) and body.get("errors"):
                log.warning("content.knowledge_refused", errors=len(body["errors"]))
                raise KnowledgeUnavailableError
            msg = f"Product {product_id!r} does not exist in the knowledge base."
            raise NotFoundError(msg)
        return ProductFacts.from_answer(product)

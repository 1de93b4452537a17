"""Error reports to Sentry (the official ``sentry-sdk``) when ``SENTRY_DSN`` is set.

Every process reports its unexpected errors — an exception a subgraph masks as
``INTERNAL_SERVER_ERROR``, an unhandled one the ASGI layer sees — and a sample of performance
traces, tagged with the service, the release and the request's W3C trace id (the ``request_id`` of
its log lines), so an event leads to the logs of the same request and back.

Nothing secret or personal leaves the process: no request bodies or cookies, no frame local
variables (they hold tokens and passwords), no user address; ``Authorization``, ``Cookie`` and our
identity headers are removed, and every value under a key that looks like a secret is replaced.
Without ``SENTRY_DSN`` nothing here does any work.
"""

from __future__ import annotations

import re
from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentry_sdk.types import Event

    from kcp.settings import Settings

_SECRET_KEY = re.compile(r"pass|secret|token|authori[sz]ation|cookie|api[-_]?key|signature|identity|dsn", re.IGNORECASE)
_FILTERED = "[Filtered]"
_reporting = False


def configure_error_reports(settings: Settings, service: str) -> bool:
    """Start the SDK for ``service`` if ``SENTRY_DSN`` is set; whether it was started."""
    global _reporting  # noqa: PLW0603 - one SDK per process, as sentry_sdk.init itself is
    if settings.sentry_dsn is None or _reporting:
        return _reporting
    import sentry_sdk  # noqa: PLC0415 - loaded only when reporting is configured
    from sentry_sdk.integrations.starlette import StarletteIntegration  # noqa: PLC0415

    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        release=settings.sentry_release or f"soundcore-kcp@{_version()}",
        environment=settings.sentry_environment,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        # Explicit integrations only: Strawberry's would report each masked error a second time,
        # and the logging one would report what structlog already printed.
        default_integrations=False,
        auto_enabling_integrations=False,
        integrations=[StarletteIntegration(transaction_style="endpoint")],
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
    sentry_sdk.set_tag("service", service)
    _reporting = True
    return True


def _version() -> str:
    try:
        return metadata.version("soundcore-kcp")
    except metadata.PackageNotFoundError:
        return "unknown"


def reporting() -> bool:
    return _reporting


def tag_request(trace_id: str) -> None:
    """Mark everything reported while serving this request with its trace id."""
    if _reporting:
        import sentry_sdk  # noqa: PLC0415

        sentry_sdk.get_isolation_scope().set_tag("trace_id", trace_id)


def report_exception(error: BaseException) -> None:
    """Report an exception the service handled itself (masked, so the ASGI layer never sees it)."""
    if _reporting:
        import sentry_sdk  # noqa: PLC0415

        sentry_sdk.capture_exception(error)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _FILTERED if _SECRET_KEY.search(str(k)) else _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: Event, _hint: dict[str, Any]) -> Event:
    """Remove what must not leave the process (see the module docstring)."""
    request = event.get("request")
    if isinstance(request, dict):
        raw_headers: Any = request.get("headers") or {}
        headers: dict[str, Any] = dict(raw_headers)
        request["headers"] = {
            name: value
            for name, value in headers.items()
            if not _SECRET_KEY.search(name) and name.lower() != "x-forwarded-for"
        }
        for part in ("cookies", "data", "query_string", "env"):
            request.pop(part, None)
    user: Any = event.get("user")
    if isinstance(user, dict):
        event["user"] = {key: value for key, value in user.items() if key == "id"}
    for part in ("extra", "contexts", "tags"):
        if part in event:
            event[part] = _scrub(event[part])  # type: ignore[literal-required]  # Event is a TypedDict: the key is one of its own
    return event

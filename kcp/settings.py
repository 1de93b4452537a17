"""Configuration read from the environment, with the names of the deployment guide.

With no store URL set, every service falls back to its embedded store under ``KCP_DATA_DIR``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUBGRAPH_PORTS: dict[str, int] = {
    "knowledge": 8001,
    "content": 8002,
    "support": 8003,
    "analytics": 8004,
    "auth": 8005,
}
ROUTER_PORT = 4000

# The committed schema files (``kcp schema``) and trusted-document manifests (``kcp persisted``),
# relative to the repository root that every process runs from.
SCHEMA_DIR = Path("schema")
SUPERGRAPH_FILE = SCHEMA_DIR / "supergraph.graphql"
PERSISTED_DIR = SCHEMA_DIR / "persisted"


def default_service_url(name: str) -> str:
    """Where a subgraph listens by default: loopback on the deployment guide's port."""
    return f"http://127.0.0.1:{SUBGRAPH_PORTS[name]}/graphql"


class ConfigurationError(RuntimeError):
    """The environment does not describe a process that can start; the message names the variable."""


# The schemes each store variable accepts, and an example the error message shows.
STORE_URL_SCHEMES: dict[str, tuple[frozenset[str], str]] = {
    "database_url": (
        frozenset({"postgresql", "postgres", "postgresql+asyncpg"}),
        "postgresql://user:password@host:5432/database",
    ),
    "mongodb_uri": (frozenset({"mongodb", "mongodb+srv"}), "mongodb://user:password@host:27017/database"),
    "redis_url": (frozenset({"redis", "rediss", "unix"}), "redis://host:6379/0"),
    "neo4j_uri": (
        frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}),
        "bolt://host:7687",
    ),
}


def store_url_problem(name: str, value: str) -> str | None:
    """Why ``value`` is not a usable URL for the store variable ``name`` (None when it is).

    The value itself is never quoted: it may carry a password.
    """
    schemes, example = STORE_URL_SCHEMES[name]
    try:
        parts = urlsplit(value)
    except ValueError as error:
        return f"is not a valid URL ({error}); expected e.g. {example}"
    if parts.scheme.lower() not in schemes:
        got = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        return f"has {got}; expected one of {', '.join(sorted(schemes))}, e.g. {example}"
    if parts.scheme == "unix":
        return None
    # MongoDB lists several hosts (host1:27017,host2:27017); each needs a name and a numeric port.
    for host in parts.netloc.rpartition("@")[2].split(","):
        address, colon, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if not (address if colon else host):
            return f"names no host; expected e.g. {example}"
        if colon and not port.isdigit():
            return f"is not a valid URL (the port of host {address!r} is not a number); expected e.g. {example}"
    return None


class Settings(BaseSettings):
    """Every setting of every KCP process; each process reads the ones it needs."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    kcp_data_dir: Path = Path(".kcp")
    kcp_host: str = "127.0.0.1"
    kcp_router_port: int = ROUTER_PORT
    kcp_log_level: str = "info"
    kcp_log_json: bool = False
    # Development mode: the router returns a request's query plan in ``extensions`` when asked.
    kcp_dev: bool = False

    # Stores: unset means the embedded store under KCP_DATA_DIR.
    database_url: str | None = None
    mongodb_uri: str | None = None
    redis_url: str | None = None
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    pool_size: int = Field(default=20, ge=1, le=20)

    # Providers: secrets come from the environment only and are never logged.
    openai_api_key: SecretStr | None = None
    anthropic_api_key: SecretStr | None = None
    pinecone_api_key: SecretStr | None = None
    # Pinecone's vector store (kcp/vectors/pinecone.py), when PINECONE_API_KEY is set: one serverless
    # index, created at the embedding model's dimension when missing, one namespace per service.
    pinecone_index: str = Field(default="soundcore-kcp", pattern=r"^[a-z0-9](?:[a-z0-9-]{0,43}[a-z0-9])?$")
    pinecone_cloud: str = Field(default="aws", pattern="^(aws|gcp|azure)$")
    pinecone_region: str = "us-east-1"
    sentry_dsn: SecretStr | None = None
    # Sentry's own names; the release defaults to soundcore-kcp@<package version>.
    sentry_release: str | None = None
    sentry_environment: str | None = None
    sentry_traces_sample_rate: float = Field(default=0.1, ge=0, le=1)
    # Endpoints of the providers' SDKs: unset means the vendor's own; any server speaking the same
    # wire format (a proxy, a compatible local model server) may stand in.
    openai_base_url: str | None = None
    anthropic_base_url: str | None = None
    openai_chat_model: str = "gpt-4o-mini"
    anthropic_model: str = "claude-3-5-haiku-latest"
    llm_timeout_seconds: float = Field(default=30.0, gt=0)
    # Which embeddings: "auto" is OpenAI's when OPENAI_API_KEY is set, else the offline model;
    # "local" keeps them offline whatever keys are set (changing it re-indexes).
    kcp_embeddings: str = Field(default="auto", pattern="^(auto|local|openai)$")
    llm_max_retries: int = Field(default=2, ge=0, le=10)  # the SDKs' own retries, with their backoff

    knowledge_service_url: str = default_service_url("knowledge")
    content_service_url: str = default_service_url("content")
    support_service_url: str = default_service_url("support")
    analytics_service_url: str = default_service_url("analytics")
    auth_service_url: str = default_service_url("auth")

    enable_rag_engine: bool = True
    enable_content_generation: bool = True
    enable_knowledge_graph: bool = True

    # Backups (`kcp backup`): the bucket, an S3-compatible endpoint (unset: AWS S3), how many of the
    # newest complete backups to keep (hourly backups: a week). Credentials: boto3's AWS_* chain.
    s3_backup_bucket: str | None = None
    s3_endpoint_url: str | None = None
    kcp_backup_keep: int = Field(default=168, ge=1)
    # The bin folder of PostgreSQL client tools (pg_dump/pg_restore) at least as new as the server;
    # unset: scripts/services' embedded PostgreSQL, then the PATH (kcp/backup/servers.py).
    kcp_pg_bin: Path | None = None
    # The auth service's signing keys from a folder managed outside it (a mounted Kubernetes Secret:
    # 000001.pem, 000002.pem, ..., the highest signs), read-only, so every replica signs alike without
    # a shared writable volume; rotation is a Secret update. Unset: the writable key ring under
    # KCP_DATA_DIR/auth, rotated through the API (subgraphs/auth/tokens/keys.py).
    kcp_signing_keys_dir: Path | None = None

    rate_limit_per_minute: int = Field(default=1000, ge=1)
    cache_ttl: int = Field(default=300, ge=0)

    # Access tokens issued by the auth subgraph.
    kcp_jwt_issuer: str = "https://auth.kcp.soundcore.local"
    kcp_jwt_audience: str = "kcp"
    kcp_jwt_ttl_seconds: int = Field(default=900, ge=60)
    # Shared by the router and the subgraphs: signs the identity the router passes on. When set,
    # subgraphs refuse unsigned or tampered identity headers.
    kcp_identity_secret: SecretStr | None = None
    # Per-subgraph fetch timeout of the router.
    kcp_subgraph_timeout_seconds: float = Field(default=10.0, gt=0)
    # Planning budget per document: one that takes longer to plan is refused (QUERY_PLANNING_TIMEOUT).
    # The demo's plans take a few ms; a document near the router's limits, well under a second.
    kcp_planning_timeout_ms: float = Field(default=5_000.0, gt=0)
    # Identical in-flight client queries share one execution (opt-in: a client's answer is shared).
    kcp_deduplicate_requests: bool = False
    # Identical in-flight subgraph queries (same body, same forwarded headers) are sent once, as
    # Apollo Router and Hive Gateway do by default. Mutations never are.
    kcp_deduplicate_subgraph_requests: bool = True

    # The router's edge. Production mode turns introspection and GraphiQL off for everyone.
    kcp_production: bool = False
    # Browser origins allowed by CORS, comma-separated (none by default: same-origin only).
    kcp_cors_origins: str = ""
    # Refuse requests a browser could send cross-site without a preflight (Apollo's CSRF rule).
    kcp_csrf_prevention: bool = True
    # Free-form (not persisted) queries of first-party clients: allow, log or enforce (refuse).
    kcp_persisted_freeform: str = Field(default="allow", pattern="^(allow|log|enforce)$")
    kcp_max_depth: int = Field(default=16, ge=1)
    kcp_max_aliases: int = Field(default=50, ge=0)
    kcp_max_root_fields: int = Field(default=20, ge=1)
    # Estimated cost budgets per operation (router/policy/cost.py): first-party and partners.
    kcp_cost_budget: int = Field(default=10_000, ge=1)
    kcp_partner_cost_budget: int = Field(default=2_000, ge=1)
    # A subgraph's own budget (kcp/edge/gate.py), in which an _entities batch counts as many objects
    # as representations: ten times the router's default, so what the router admits always fits.
    kcp_subgraph_cost_budget: int = Field(default=100_000, ge=1)
    # Subgraphs accept only requests the router signed (kcp/edge/signature.py); always on when
    # KCP_PRODUCTION=true. /health, /ready and /metrics stay open.
    kcp_subgraph_require_router_signature: bool = False

    @field_validator(
        "s3_backup_bucket",
        "s3_endpoint_url",
        "sentry_release",
        "sentry_environment",
        "kcp_pg_bin",
        "kcp_signing_keys_dir",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """``VAR=`` (an env file, compose's ``${VAR:-}``) means unset, not an empty name or URL."""
        return None if value == "" else value

    @field_validator("database_url", "mongodb_uri", "redis_url", "neo4j_uri", mode="after")
    @classmethod
    def _store_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return None  # set but empty (e.g. VAR= in an env file): the embedded store
        problem = store_url_problem(str(info.field_name), value)
        if problem:
            raise ValueError(problem)
        return value

    def subgraph_urls(self) -> dict[str, str]:
        """The routing URL of each subgraph, by subgraph name."""
        return {
            "knowledge": self.knowledge_service_url,
            "content": self.content_service_url,
            "support": self.support_service_url,
            "analytics": self.analytics_service_url,
            "auth": self.auth_service_url,
        }

    def service_data_dir(self, service: str) -> Path:
        """The folder of one service's embedded stores, created on first use."""
        path = self.kcp_data_dir / service
        path.mkdir(parents=True, exist_ok=True)
        return path


def configuration_problems(settings: Settings) -> list[str]:
    """Settings that parse but cannot run together; each line names its variable."""
    problems = []
    if settings.kcp_production and settings.kcp_identity_secret is None:
        problems.append(
            "KCP_IDENTITY_SECRET is required when KCP_PRODUCTION=true: without it subgraphs trust "
            "unsigned identity headers; set the same random secret on the router and every subgraph"
        )
    if settings.kcp_subgraph_require_router_signature and settings.kcp_identity_secret is None:
        problems.append(
            "KCP_SUBGRAPH_REQUIRE_ROUTER_SIGNATURE=true needs KCP_IDENTITY_SECRET: the router signs its "
            "subgraph requests with it; set the same random secret on the router and every subgraph"
        )
    return problems


def _describe(error: ValidationError) -> str:
    """One line naming each bad variable, without its value (it may be a secret)."""
    parts = []
    for item in error.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in item["loc"]).upper() or "environment"
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{name} {message}" if message.startswith(("is ", "has ", "names ")) else f"{name}: {message}")
    return "; ".join(parts)


def load_settings() -> Settings:
    """The settings from the environment, or ConfigurationError naming every bad variable."""
    try:
        settings = Settings()
    except ValidationError as error:
        raise ConfigurationError(f"invalid configuration: {_describe(error)}") from None
    problems = configuration_problems(settings)
    if problems:
        raise ConfigurationError(f"invalid configuration: {'; '.join(problems)}")
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once from the environment (ConfigurationError when unusable)."""
    return load_settings()

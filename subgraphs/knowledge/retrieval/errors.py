"""Expected failures of retrieval: a switched-off engine or feature."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError


class FeatureDisabledError(KcpError):
    """ENABLE_RAG_ENGINE or ENABLE_KNOWLEDGE_GRAPH is off for this deployment."""

    code = ErrorCode.FEATURE_DISABLED

    @classmethod
    def rag(cls, what: str) -> FeatureDisabledError:
        return cls(f"{what} needs the RAG engine, which ENABLE_RAG_ENGINE=false turns off here.")

    @classmethod
    def graph(cls, what: str) -> FeatureDisabledError:
        return cls(f"{what} needs the knowledge graph, which ENABLE_KNOWLEDGE_GRAPH=false turns off here.")

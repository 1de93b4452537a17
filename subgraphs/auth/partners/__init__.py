"""Partners: organisations that integrate with KCP through scoped, revocable API keys."""

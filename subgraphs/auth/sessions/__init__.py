"""Sessions: password login (throttled), access tokens, rotating refresh tokens, logout."""

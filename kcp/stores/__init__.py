"""Store connections: each interface has an embedded default and a real-server implementation."""

"""The analytics subgraph: event ingestion and small honest metrics over the events."""

"""The knowledge graph: relations between knowledge records, held as ids only."""

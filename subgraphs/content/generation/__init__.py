"""Generation jobs: content drafted from a product's facts (knowledge), by an LLM or a template."""

"""Metrics: counts over events, per product, per article and per kind over time."""

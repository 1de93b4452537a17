"""Shared kernel of the Soundcore KCP services: settings, logging, metrics, stores, errors.

It knows no domain and no router: subgraphs and the router build on it, never the reverse.
"""

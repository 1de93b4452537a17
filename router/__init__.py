"""The KCP Federation v2 router: HTTP → documents → plan → execute → shape, one module a stage."""

"""The auth subgraph: users, roles and scopes, password login, access tokens and their JWKS."""

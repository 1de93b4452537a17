"""Users: accounts, roles and their scopes, password login."""

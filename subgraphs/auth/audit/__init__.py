"""The audit log of auth events: logins, refreshes, revocations, keys and user administration."""

"""Access tokens: the signing key pair, issuing and verifying JWTs, the JWKS document."""

"""Security adapters: password hashing, JWT, token revocation, rate limiting."""

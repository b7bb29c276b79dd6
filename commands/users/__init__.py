"""Use cases of user accounts: registration, sign-in, profile, and administration."""

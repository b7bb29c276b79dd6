"""Use cases of login sessions: start, refresh with rotation, end."""

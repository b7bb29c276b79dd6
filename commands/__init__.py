"""Use cases: one command and its handler per module, plus the applications that store events."""

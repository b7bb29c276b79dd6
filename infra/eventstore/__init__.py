"""The event store: configuration of the eventsourcing library from settings, and event export."""

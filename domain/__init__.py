"""The domain model of Campus: aggregates, their events and rules. Plain Python, no I/O."""

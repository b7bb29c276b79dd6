"""Projections: published events in, read-model rows out, exactly once."""

"""Adapters of the peer-review ports: queries on the peer reviews read model."""

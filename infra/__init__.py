"""Adapters to the outside world: settings, stores, brokers, providers, security, HTTP plumbing."""

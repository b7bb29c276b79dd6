"""The read API: GET endpoints answered from read models, never from aggregates."""

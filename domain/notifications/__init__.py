"""Notifications: one message to one user over one channel, and its delivery history."""

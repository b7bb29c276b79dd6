"""Peer reviews: learners' submissions, the queue that hands them out, and each review."""

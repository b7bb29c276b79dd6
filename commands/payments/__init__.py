"""Use cases of payments: initiate, settle, refund, and the discount checks before paying."""

"""Use cases of notifications: request, deliver, read, remind, and the policies behind them."""

"""Use cases of coupons: admins create, change and deactivate them."""

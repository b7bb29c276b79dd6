"""Commerce: coupons, payments, and the rules of what a learner pays for a course."""

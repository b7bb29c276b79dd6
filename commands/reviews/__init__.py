"""Use cases of peer review: submit work, assign and pull reviews, review, set a rubric."""

"""Use cases of learning: enroll, record progress, rate a course, issue and revoke certificates."""

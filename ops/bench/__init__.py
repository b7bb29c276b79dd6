"""``campus bench``: benchmarks that print their figures beside an anchor measured in the same run.

The machines are shared and noisy, so a figure alone means little: each benchmark measures
what it is compared to (pgbench, the bare library, a bare endpoint, PostgreSQL ``COPY``) side
by side, in one invocation, and prints both as a table and as one JSON line.
"""

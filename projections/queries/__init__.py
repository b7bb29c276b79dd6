"""Read-model queries the scheduler asks (idle learners, lapsed review leases): they live with
the tables they read, and implement ports of commands/."""

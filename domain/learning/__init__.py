"""Learning: enrollments with their progress, certificates, and what each learner has earned."""

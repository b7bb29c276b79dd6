"""Courses: the catalog's spine — a course, its ordered modules and lessons, and its media."""

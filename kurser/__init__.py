"""Courses that build volunteers' and staff's competences, with registration."""

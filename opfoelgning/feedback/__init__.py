"""Feedback from volunteers ("Fandt du det, du søgte?") and invitations to the theme meeting."""

"""The shared activity and event calendar, built on django-scheduler."""

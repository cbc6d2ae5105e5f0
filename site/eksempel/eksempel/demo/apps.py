from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Eksempel Kommune's demo content (``manage.py seed_eksempel``); no models."""

    name = "eksempel.demo"
    label = "eksempel_demo"
    verbose_name = "Eksempel Kommune: demo"

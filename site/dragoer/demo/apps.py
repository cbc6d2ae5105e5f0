from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dragoer.demo"
    label = "dragoer_demo"
    verbose_name = "Demo content (reference site)"

from django.apps import AppConfig


class LoadtestConfig(AppConfig):
    name = "dragoer.loadtest"
    label = "dragoer_loadtest"
    verbose_name = "Load test (reference site)"
    default_auto_field = "django.db.models.BigAutoField"

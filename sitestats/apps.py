from django.apps import AppConfig


class SitestatsConfig(AppConfig):
    name = "sitestats"
    verbose_name = "Site statistics"

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from privacy import checks, registry  # noqa: F401 (registers the system check)

        registry.autodiscover()

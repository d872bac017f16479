from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Public pages"

    def ready(self):
        from pages.content_generation import content_generation_key
        from roochi_site.page_cache import page_cache_vary_on

        page_cache_vary_on("pages", content_generation_key)

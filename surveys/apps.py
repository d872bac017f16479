from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Surveys and contests"

    def ready(self):
        from django.utils import timezone

        from roochi_site.page_cache import page_cache_vary_on

        # Surveys open and close by whole days in the site's time zone: with the date
        # in every cached page's key, no page shows a survey open after its last day
        # or hides it on its first. What staff change is in the pages' content
        # generation, which the surveys' tables bump too (migration 0001).
        page_cache_vary_on("date", lambda: timezone.localdate().isoformat())

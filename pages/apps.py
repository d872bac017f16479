from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Public pages"

    def ready(self):
        from django.urls import reverse

        from pages.content_generation import content_generation_key, per_content_generation
        from pages.models import Category, Page
        from pages.search import search_source_register
        from privacy.models import PolicySection
        from privacy.policy import current_version
        from roochi_site.page_cache import page_cache_vary_on
        from roochi_site.product_categories import product_categories_register

        page_cache_vary_on("pages", content_generation_key)
        search_source_register(
            "Page", rows=Page.objects.published, title="title", body="body",
            url=Page.get_absolute_url)
        search_source_register(
            "Product category", rows=Category.objects.published, title="name", body="body",
            url=Category.get_absolute_url)
        # A category's page asks the Information Request to choose it as the topic.
        product_categories_register(per_content_generation(
            lambda: list(Category.objects.published().values_list("slug", "name"))))
        # Only the version in force is the policy; earlier ones are history.
        search_source_register(
            "Privacy policy",
            rows=lambda: PolicySection.objects.filter(version=current_version()),
            title="heading", body="body",
            url=lambda section: f"{reverse('privacy:policy')}#{section.anchor}")

"""Who asked for the newsletter, for marketing and the privacy officer to read: the
list gives each sign-up's state and form without the address; opening one shows the
address and is recorded as a look (P7). Sign-ups and their end come only from the
person (privacy/services/newsletter.py), so nobody edits them here."""

from django.contrib import admin

from privacy.models import NewsletterSubscription
from roochi_site.admin import PersonalDataAdminMixin, ReadOnlyAdmin


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(PersonalDataAdminMixin, ReadOnlyAdmin):
    list_display = ["collected_at", "source", "status", "confirmed_at", "ended_at"]
    list_filter = ["status", "source"]
    date_hierarchy = "collected_at"
    fields = ["email", "status", "source", "wording", "collected_at", "confirmed_at",
              "ended_at", "policy_version"]

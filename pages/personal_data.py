from pages.models import Page
from privacy.registry import not_personal

not_personal(
    Page,
    fields=("body",),
    reason="Public page text written by staff.",
)

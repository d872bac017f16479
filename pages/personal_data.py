from pages.models import Page
from roochi_site.personal_data import not_personal

not_personal(
    Page,
    fields=("body",),
    reason="Public page text written by staff.",
)

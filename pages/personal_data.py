from pages.models import ContactDetails, Page
from roochi_site.personal_data import not_personal

not_personal(
    Page,
    fields=("body",),
    reason="Public page text written by staff.",
)
not_personal(
    ContactDetails,
    fields=("postal_address", "opening_hours"),
    reason="The company's own postal address and opening hours, written by staff.",
)

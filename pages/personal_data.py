from pages.models import Category, ContactDetails, Image, Page, Revision
from roochi_site.personal_data import not_personal, staff_data

not_personal(
    Page,
    fields=("body",),
    reason="Public page text written by staff.",
)
not_personal(
    Category,
    fields=("name", "summary", "body"),
    reason="Public text about the goods we trade, written by staff.",
)
staff_data(
    Image,
    fields=("uploaded_by",),
    about="which member of staff uploaded a public picture (its metadata is removed on "
    "upload, so the picture says nothing of who took it or where).",
    kept="as long as the picture",
)
staff_data(
    Revision,
    fields=("saved_by", "decided_by"),
    about="which member of staff saved each revision of a public page or category, and "
    "who published or discarded a draft; the values are public text.",
    kept="as long as the page or category",
)
not_personal(
    ContactDetails,
    fields=("postal_address", "opening_hours"),
    reason="The company's own postal address and opening hours, written by staff.",
)

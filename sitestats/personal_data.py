"""The visit statistics hold no personal data (P4); the registry says why, for the
counts staff see and for the one field that is derived from a visitor at all."""

from roochi_site.personal_data import not_personal
from sitestats.models import Count, VisitorDay

not_personal(
    Count,
    fields=("value",),
    reason="Counts of page views a day (an hour) by one dimension at a time: a path, "
    "a referring site's host name, a browser family, a platform, a device class, a "
    "status, a bot's name. No row is about a visitor or can be joined to one.",
)
not_personal(
    VisitorDay,
    fields=("visitor",),
    reason="A keyed hash of a client address and browser string under a random salt of "
    "one day, deleted with the salt when the day is closed. Neither is stored; the hash "
    "cannot be recomputed once the salt is gone, nor found from a person's email.",
)

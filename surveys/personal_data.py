"""Where the surveys app keeps personal data (see roochi_site/personal_data.py).

Erasure deletes: an entry exists only for its survey's purpose. The draw keeps the
ids of the entries it drew from, which say nothing about anyone, so a draw can be
repeated after its winners were erased or purged.
"""

from roochi_site.personal_data import Erasure, declare, not_personal
from surveys.models import Answer, Draw, Entry, Question, Survey


def answer_rows(email: str):
    return Answer.objects.filter(entry__email=email)


declare(
    Answer,
    fields=("value",),
    finder=answer_rows,
    erasure=Erasure.DELETE,
    title="Your answers to our surveys and contests",
    copy_fields=("question", "value"),
    labels={"question": "Question", "value": "Your answer"},
)

declare(
    Entry,
    fields=("name", "email", "shipping_address", "zip_code"),
    person_lookup="email",
    erasure=Erasure.DELETE,
    title="Your entries in our surveys and contests",
    copy_fields=("survey", "name", "email", "shipping_address", "zip_code",
                 "share_with_intermediary", "won"),
    labels={"survey": "Survey or contest",
            "share_with_intermediary": "You agreed to share it with the party named on "
            "the form", "won": "You won"},
)

not_personal(
    Survey,
    fields=("title", "introduction", "use_of_answers", "name", "email", "shipping_address",
            "zip_code", "rules"),
    reason="What staff ask and say; the contact fields here only say whether a survey "
    "asks for them.",
)
not_personal(Question, fields=("text", "choices"), reason="The questions, written by staff.")
not_personal(Draw, fields=(), reason="The seed and the ids of the entries drawn from.")

"""Whatever arrives, no 500 and nothing half stored: either a whole inquiry with its
two mails (and, when chosen, the newsletter sign-up with its confirmation), or nothing
at all (hypothesis throws text, Unicode and oversized values)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from communications.models import OutboundMail
from inquiries.models import Inquiry
from privacy.models import NewsletterSubscription
from tests.inquiries.conftest import valid_post

pytestmark = pytest.mark.django_db

FIELDS = ["name", "email", "phone", "reply_by", "company", "topic", "order_number",
          "message", "newsletter", "other_purposes", "policy_version_shown", "website"]

values = st.one_of(
    st.text(),
    st.text(min_size=1, max_size=3).map(lambda text: text * 3000),
    st.sampled_from(["", "email", "phone", "prices", "order", "on", "1", "+1 323 722 5592",
                     "ana@example.com", "SO-12345678", "\x00", "\u202e", "💥" * 100]),
)


@pytest.mark.parametrize("form", ["information", "support"])
@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(FIELDS), values, max_size=6))
def test_no_input_gives_a_500_or_a_half_stored_inquiry(settings, form, changes):
    settings.INQUIRY_LIMIT_PER_HOUR = 10_000
    inquiries, mails = Inquiry.objects.count(), OutboundMail.objects.count()
    signups = NewsletterSubscription.objects.count()
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    path = "/information-request/" if form == "information" else "/support-request/"
    response = client.post(path, valid_post(form, **changes))
    assert response.status_code in {302, 400, 413}
    assert response.cookies == {}
    if response.status_code == 302 and Inquiry.objects.count() == inquiries + 1:
        inquiry = Inquiry.objects.latest("pk")
        new_signups = NewsletterSubscription.objects.count() - signups
        # One link per address per window: a second sign-up for it sends none.
        assert new_signups <= int(inquiry.newsletter)
        assert OutboundMail.objects.count() == mails + 2 + new_signups
        assert inquiry.acknowledgement is not None
        assert inquiry.reference in client.get(response.url).text
    elif response.status_code == 302:
        assert OutboundMail.objects.count() == mails  # the same form sent again
    else:
        assert (Inquiry.objects.count(), OutboundMail.objects.count(),
                NewsletterSubscription.objects.count()) == (inquiries, mails, signups)

"""The staff home page: what is waiting, counted for what the signed-in person may see,
each count a link to the list of those rows; and the last quarter of inquiries."""

import itertools
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communications.models import Mailing, OutboundMail
from inquiries.dashboard import inquiry_quarter
from inquiries.models import Inquiry, InquiryEvent, Status, end_of_local_day
from mailings.models import NewsletterIssue, ServiceAnnouncement
from privacy.models import PrivacyRequest
from privacy.models.people import email_hash
from privacy.policy import current_version
from tests.inquiries.conftest import InquiryFactory
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def staff_with(*permissions: str):
    user = get_user_model().objects.create_user(f"home-{next(_serial)}", is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label,
                                                         codename=codename))
    return user


def privacy_request(*, status: str, due_in: timedelta) -> PrivacyRequest:
    now, n = timezone.now(), next(_serial)
    email = f"pr{n}@example.com"
    verified = status != PrivacyRequest.Status.UNVERIFIED
    return PrivacyRequest.objects.create(
        reference=f"PR-H{n:05d}", kind="copy", email=email, email_hash=email_hash(email),
        status=status, verify_by=now + timedelta(days=2),
        verified_at=now if verified else None, due_at=now + due_in if verified else None,
        closed_at=now if status == PrivacyRequest.Status.COMPLETED else None,
        policy_version=current_version(), purpose="privacy-request")


def mailing_of(model, *, prepared: bool, queued: int, author):
    mailing = Mailing.objects.create(kind=model.kind,
                                     prepared_at=timezone.now() if prepared else None)
    for n in range(queued + 1):
        OutboundMail.objects.create(
            to=f"m{next(_serial)}@example.com", subject="News", body="Hello.",
            category=OutboundMail.Category.NEWSLETTER, purpose="mailing", mailing=mailing,
            status=OutboundMail.Status.QUEUED if n < queued else OutboundMail.Status.SENT)
    return model.objects.create(subject="News", body="Hello.", created_by=author,
                                mailing=mailing)


@pytest.fixture
def every_state():
    """Inquiries, privacy requests and mailings in every state the home page tells apart."""
    now = timezone.now()
    later_today = now + (end_of_local_day(now) - now) / 2
    InquiryFactory.create_batch(2, status=Status.NEW, first_response_due=now + timedelta(days=3))
    InquiryFactory(status=Status.NEW, first_response_due=later_today)
    InquiryFactory(status=Status.OPEN, first_response_due=later_today)
    InquiryFactory.create_batch(3, status=Status.OPEN,
                                first_response_due=now - timedelta(hours=1))
    InquiryFactory(status=Status.WAITING, first_response_due=now - timedelta(days=2),
                   first_responded_at=now - timedelta(days=3))
    InquiryFactory(status=Status.ANSWERED, first_response_due=now - timedelta(days=1),
                   first_responded_at=now - timedelta(days=2))
    InquiryFactory(status=Status.CLOSED, first_response_due=now - timedelta(days=5),
                   closed_at=now)
    for due_in in (timedelta(days=20), timedelta(days=3)):
        privacy_request(status=PrivacyRequest.Status.VERIFIED, due_in=due_in)
    privacy_request(status=PrivacyRequest.Status.VERIFIED, due_in=-timedelta(days=1))
    privacy_request(status=PrivacyRequest.Status.COMPLETED, due_in=-timedelta(days=9))
    privacy_request(status=PrivacyRequest.Status.UNVERIFIED, due_in=timedelta(0))
    author = staff_with()
    mailing_of(NewsletterIssue, prepared=False, queued=0, author=author)
    mailing_of(NewsletterIssue, prepared=True, queued=2, author=author)
    mailing_of(NewsletterIssue, prepared=True, queued=0, author=author)
    mailing_of(ServiceAnnouncement, prepared=True, queued=0, author=author)
    NewsletterIssue.objects.create(subject="Draft", body="Not sent.", created_by=author)


def counts_shown(html: str) -> dict[str, tuple[int, str]]:
    """label -> (number, link) of each count on the page."""
    return {label: (int(number), link.replace("&amp;", "&")) for link, number, label in
            re.findall(r'<li><a href="([^"]+)"><span class="staff-home-number">(\d+)</span> '
                       r"([^<]+)</a>", html)}


def home(client, user) -> str:
    staff_sign_in(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.text


def rows_listed(client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200, link
    # Each row's first column is a <th> of the list's table.
    return len(re.findall(r'<tr>\s*(?:<td class="action-checkbox">.*?</td>)?\s*<th class="field-',
                          response.text))


def test_a_superuser_sees_every_count_and_each_link_lists_those_rows(client, every_state):
    superuser = get_user_model().objects.create_superuser("chief", "chief@roochi.com", "x" * 16)
    shown = counts_shown(home(client, superuser))
    assert {label: number for label, (number, _) in shown.items()} == {
        "new": 3, "due today": 2, "overdue": 3, "waiting for the customer": 1,
        "awaiting action": 3, "past their legal deadline": 1,
        "newsletter issues being sent": 2, "service announcements being sent": 0,
    }
    for label, (number, link) in shown.items():
        assert rows_listed(client, link) == number, label


def test_overdue_is_said_in_words_with_the_soonest_legal_deadline(client, every_state):
    html = home(client, get_user_model().objects.create_superuser("c", "c@roochi.com", "x" * 16))
    assert html.count('<strong class="staff-home-overdue">Overdue</strong>') == 2
    soonest = PrivacyRequest.objects.filter(status="verified").order_by("due_at").first()
    assert f"the soonest legal deadline: {timezone.localtime(soonest.due_at):%-d %B %Y, %H:%M}" \
        in html


def test_staff_see_only_the_counts_of_what_they_may_see(client, every_state):
    inquiries_only = counts_shown(home(client, staff_with("inquiries.view_inquiry")))
    assert set(inquiries_only) == {"new", "due today", "overdue", "waiting for the customer"}

    client.logout()
    privacy_only = counts_shown(home(client, staff_with("privacy.view_privacyrequest")))
    assert set(privacy_only) == {"awaiting action", "past their legal deadline"}

    client.logout()
    announcements = counts_shown(home(client, staff_with("mailings.view_serviceannouncement")))
    assert set(announcements) == {"service announcements being sent"}

    client.logout()
    html = home(client, staff_with())
    assert counts_shown(html) == {}
    assert 'id="waiting"' not in html


def test_the_home_page_costs_the_same_queries_for_many_rows(client):
    superuser = get_user_model().objects.create_superuser("q", "q@roochi.com", "x" * 16)
    staff_sign_in(client, superuser)
    counts = []
    for rows in (2, 40):
        InquiryFactory.create_batch(rows, first_response_due=timezone.now() - timedelta(hours=1))
        for _ in range(rows):
            privacy_request(status=PrivacyRequest.Status.VERIFIED, due_in=timedelta(days=1))
        current_version()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def reply_event(inquiry: Inquiry, after: timedelta, kind=InquiryEvent.Kind.EMAIL_REPLY):
    return InquiryEvent.objects.create(inquiry=inquiry, kind=kind,
                                       happened_at=inquiry.collected_at + after)


def test_the_quarter_counts_each_week_and_the_median_time_to_a_first_reply():
    now = timezone.now()
    received = now - timedelta(days=7)
    answered_fast, answered_slow, answered_slower = InquiryFactory.create_batch(
        3, collected_at=received)
    reply_event(answered_fast, timedelta(hours=10))
    # A later reply does not count: the first one does.
    reply_event(answered_fast, timedelta(hours=50))
    reply_event(answered_slow, timedelta(hours=20), kind=InquiryEvent.Kind.PHONE_REPLY)
    reply_event(answered_slower, timedelta(hours=90))
    # A note is no reply; an inquiry still waiting has no time to a reply yet.
    InquiryEvent.objects.create(inquiry=InquiryFactory(collected_at=received),
                                kind=InquiryEvent.Kind.NOTE, happened_at=now)
    InquiryFactory(collected_at=now - timedelta(days=200))

    quarter = inquiry_quarter(now)

    assert len(quarter.weeks) == 13
    assert quarter.weeks[-1].start == timezone.localtime(now).date() - timedelta(
        days=timezone.localtime(now).weekday())
    assert sum(week.received for week in quarter.weeks) == 4
    assert sum(week.answered for week in quarter.weeks) == 3
    assert quarter.answered == 3
    assert quarter.median_first_reply == timedelta(hours=20)


def test_the_chart_is_drawn_on_the_server_with_its_numbers_in_a_table(client):
    InquiryFactory.create_batch(4)
    html = home(client, staff_with("inquiries.view_inquiry"))
    assert '<img src="/admin/inquiries/inquiry/quarter.svg"' in html
    assert "<caption>Inquiries per week</caption>" in html
    monday = timezone.localtime().date() - timedelta(days=timezone.localtime().weekday())
    assert f'<th scope="row">{monday:%-d %b %Y}</th><td>4</td><td>0</td>' in html
    assert "no inquiry received has been answered yet" in html

    svg = client.get("/admin/inquiries/inquiry/quarter.svg")
    assert svg["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert f"Week of {monday.isoformat()}: 4 received" in svg.text
    assert f"Week of {monday.isoformat()}: 0 first answered" in svg.text
    assert "<script" not in svg.text
    assert "href" not in svg.text


def test_the_chart_is_refused_to_staff_who_may_not_see_inquiries(client):
    staff_sign_in(client, staff_with("privacy.view_privacyrequest"))
    assert client.get("/admin/inquiries/inquiry/quarter.svg").status_code == 403

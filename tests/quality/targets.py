"""What the quality gates check besides the pages they discover.

Public pages are found by discovery: every address in the sitemap, plus the error
pages (tests/quality/documents.py). Forms cannot be discovered, so each public form is
listed here once; every gate (accessibility, keyboard, valid HTML, page weight, query
budget) then covers it, its error state and its thank-you page.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.test import Client


@dataclass(frozen=True)
class FormTarget:
    """A public form.

    path: where the form is shown (GET) and sent (POST).
    valid: a submission that is accepted, field name -> value as typed or chosen (the
      value of an option, radio button or ticked checkbox).
    settings: overrides that let a test send it at once (a minimum fill time).
    weigh: whether the page-weight budget applies to the form page.
    data_add: for a form that exists only once staff made it (a survey), what makes it;
      every test calls `prepare()` before showing the form (safe to call twice).

    The error state is what an empty same-origin POST shows: the form's hidden fields
    (a fresh form_token among them) and nothing else. The thank-you page is where a
    valid submission ends, after redirects, when it is an HTML page.
    """

    path: str
    valid: dict[str, str]
    settings: dict[str, object] = field(default_factory=dict)
    weigh: bool = False
    data_add: Callable[[], None] | None = None

    def prepare(self) -> None:
        if self.data_add is not None:
            self.data_add()


# A form sent at once by a test would be refused as too fast (a spam rule).
AT_ONCE = {"FORM_MIN_FILL_SECONDS": 0}
QUALITY_SURVEY = 9001


def quality_survey_add() -> None:
    """A survey open today with every kind of question and an intermediary, at fixed
    ids so that the targets can name its fields and its staff pages."""
    from datetime import timedelta

    from django.utils import timezone

    from privacy.models import Recipient
    from surveys.models import Question, Survey

    if Survey.objects.filter(pk=QUALITY_SURVEY).exists():
        return
    today = timezone.localdate()
    partner, _ = Recipient.objects.get_or_create(
        name="Survey Partners Ltd", defaults={"kind": "service_provider",
                                              "receives": "Survey entries",
                                              "purpose": "Runs our surveys."})
    survey = Survey.objects.create(
        pk=QUALITY_SURVEY, title="How do you like our site?", slug="quality-survey",
        introduction="Five short questions.", opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7), email="required", zip_code="optional",
        intermediary=partner)
    for n, (kind, text, choices) in enumerate([
            ("short-text", "What brought you here?", ""),
            ("long-text", "What should we improve?", ""),
            ("one-choice", "How often do you visit?", "Daily\nWeekly\nRarely"),
            ("several-choices", "What do you trade?", "Rice\nOlive oil\nTea"),
            ("rating", "How easy is the site to use?", "")], start=1):
        Question.objects.create(pk=QUALITY_SURVEY + n, survey=survey, position=n, kind=kind,
                                text=text, choices=choices, required=kind == "rating")

FORM_TARGETS = [
    # The demo form of tests/roochi_site/urls.py (the quality tests use that URLconf).
    FormTarget(path="/demo-form/", valid={
        "message": "Hello from the keyboard", "reply_by": "phone", "topic": "orders",
        "newsletter": "on"}),
    FormTarget(path="/information-request/", valid={
        "name": "Ana Pérez", "email": "ana@example.com", "reply_by": "email",
        "topic": "products", "message": "Do you trade olive oil by the pallet?"},
        settings=AT_ONCE, weigh=True),
    FormTarget(path="/support-request/", valid={
        "name": "Bo Li", "email": "bo@example.com", "reply_by": "email", "topic": "order",
        "order_number": "SO-12345678", "message": "Where is my order?"},
        settings=AT_ONCE),
    FormTarget(path="/privacy/requests/", valid={"email": "ana@example.com", "kind": "copy"},
               settings=AT_ONCE),
    FormTarget(path="/newsletter/", valid={"email": "ana@example.com"}, settings=AT_ONCE),
    FormTarget(path="/surveys/quality-survey/", valid={
        "email": "ana@example.com", "question_9002": "A friend",
        "question_9004": "Weekly", "question_9005": "Rice", "question_9006": "4",
        "share_with_intermediary": "on"},
        settings=AT_ONCE, data_add=quality_survey_add),
    FormTarget(path="/request-status/", valid={"reference": "RT-7KQ2MX",
                                               "email": "ana@example.com"}, settings=AT_ONCE),
]


# Staff pages of our own making (not a model's list or form, which Django draws): each
# is checked like a public page by the accessibility and HTML gates, signed in as a
# superuser: name -> a function that adds some data to show and returns the page, given
# the signed-in client.
def statistics_page(client):
    from datetime import UTC, datetime, timedelta

    from sitestats.models import Count

    today = datetime.now(UTC).date()
    Count.objects.bulk_create(
        [Count(day=today - timedelta(days=n), hour=9, kind=Count.Kind.VIEWS, value="",
               count=10 + n) for n in range(10)]
        + [Count(day=today, kind=kind, value=value, count=3) for kind, value in [
            (Count.Kind.VISITORS, ""), (Count.Kind.PAGE, "/about/"),
            (Count.Kind.REFERRER, "example.org"), (Count.Kind.BROWSER, "Firefox"),
            (Count.Kind.CLICKS, "2"), (Count.Kind.BOT, "Googlebot")]])
    return client.get("/admin/sitestats/count/")


def quality_survey_entries_add() -> None:
    from privacy.policy import current_version
    from surveys.models import Question, Survey
    from surveys.services import entry_submit

    quality_survey_add()
    survey = Survey.objects.get(pk=QUALITY_SURVEY)
    questions = {question.kind: question for question in survey.questions.all()}
    for n, often in enumerate(["Weekly", "Daily", "Weekly"]):
        entry_submit(survey=survey, name="", email=f"quality{n}@example.com",
                     shipping_address="", zip_code="", share_with_intermediary=False,
                     answers={questions[Question.Kind.ONE_CHOICE]: [often],
                              questions[Question.Kind.LONG_TEXT]: ["Bigger type."]},
                     policy_version=current_version(), client_address=f"192.0.2.{n}")


def survey_results_page(client):
    quality_survey_entries_add()
    return client.get(f"/admin/surveys/survey/{QUALITY_SURVEY}/results/")


def an_inquiry_in_hand():
    """An inquiry answered once, the customer's answer and a note in its timeline, and
    a canned reply to choose from."""
    from inquiries.models import CannedReply, InquiryEvent
    from tests.inquiries.conftest import InquiryFactory

    CannedReply.objects.get_or_create(title="Price list", body="Our prices for {topic}.")
    inquiry = InquiryFactory(status="open")
    for kind, text in [(InquiryEvent.Kind.EMAIL_REPLY, "Which port?"),
                       (InquiryEvent.Kind.CUSTOMER_MESSAGE, "Oakland."),
                       (InquiryEvent.Kind.NOTE, "Ask the shipping desk.")]:
        InquiryEvent.objects.create(inquiry=inquiry, kind=kind, text=text)
    return inquiry


def staff_home_page(client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.inquiries.conftest import InquiryFactory

    an_inquiry_in_hand()
    InquiryFactory(first_response_due=timezone.now() - timedelta(hours=1))
    privacy_requests_add(2)
    return client.get("/admin/")


def inquiry_page(client):
    from inquiries.models import CannedReply

    inquiry = an_inquiry_in_hand()
    return client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/",
                      {"canned_reply": CannedReply.objects.get(title="Price list").pk})


def reply_preview_page(client):
    inquiry = an_inquiry_in_hand()
    return client.post(f"/admin/inquiries/inquiry/{inquiry.pk}/act/reply/",
                       {"body": "Our prices for rice are on the website."})


def own_passkeys_page(client):
    from django.contrib.auth.models import User
    from django_otp_webauthn.models import WebAuthnCredential

    WebAuthnCredential.objects.create(user=User.objects.get(username="quality"),
                                      name="Registered with Firefox on Ubuntu",
                                      credential_id=b"quality", public_key=b"key")
    return client.get("/admin/second-factor/passkeys/")


def live_page_with_a_draft():
    from pages.models import Page, Revision
    from pages.revisions import stored_values

    page = Page.objects.get(slug="about")
    if not Revision.objects.filter(page=page, status=Revision.Status.DRAFT).exists():
        number = Revision.objects.filter(page=page).count() + 1
        Revision.objects.create(page=page, number=number, status=Revision.Status.DRAFT,
                                values={**stored_values(page), "title": "About Roochi Traders",
                                        "body": "Our new words."})
    return page


def page_draft_change_page(client):
    return client.get(f"/admin/pages/page/{live_page_with_a_draft().pk}/change/")


def page_draft_publish_page(client):
    return client.get(f"/admin/pages/page/{live_page_with_a_draft().pk}/act/publish_draft/")


@dataclass(frozen=True)
class StaffPage:
    show: Callable[[Client], HttpResponse]


STAFF_PAGES = {
    "/admin/sitestats/count/": StaffPage(statistics_page),
    "/admin/ (the staff home page)": StaffPage(staff_home_page),
    "/admin/inquiries/inquiry/<id>/change/ (a canned reply chosen)": StaffPage(inquiry_page),
    "/admin/inquiries/inquiry/<id>/act/reply/ (the reply's preview)": StaffPage(
        reply_preview_page),
    # The preview is the public survey page's own template, audited as a public page.
    f"/admin/surveys/survey/{QUALITY_SURVEY}/results/": StaffPage(survey_results_page),
    "/admin/second-factor/passkeys/": StaffPage(own_passkeys_page),
    "/admin/pages/page/<id>/change/ (live, with a draft)": StaffPage(
        page_draft_change_page),
    "/admin/pages/page/<id>/act/publish_draft/ (what the draft changes)": StaffPage(
        page_draft_publish_page),
}


# The admin's lists, each with a way to add `count` rows of its model, so that the
# query budget can prove a list's queries do not grow with its rows (no N+1). Every
# model registered in the admin must be here; tests/quality/test_query_budgets.py
# fails on one that is not.
_serial = itertools.count()


def pages_add(count: int) -> None:
    """Live pages, each with a draft: the list says so without a query per row."""
    from pages.models import Page, Revision
    from pages.revisions import stored_values

    pages = Page.objects.bulk_create(
        Page(slug=f"bulk-{n}", title=f"Page {n}", meta_description="A page.", body="Words.")
        for n in itertools.islice(_serial, count))
    Revision.objects.bulk_create(
        Revision(page=page, number=1, status=Revision.Status.DRAFT,
                 values={**stored_values(page), "body": "Draft words."})
        for page in pages)


def categories_add(count: int) -> None:
    from pages.models import Category

    Category.objects.bulk_create(
        Category(slug=f"bulk-{n}", name=f"Category {n}", summary="Goods.")
        for n in itertools.islice(_serial, count))


def images_add(count: int) -> None:
    from pages.models import Image

    Image.objects.bulk_create(
        Image(alt_text=f"Picture {n}", width=320, height=240, uploaded_by=staff_member(),
              renditions=[{"format": "jpeg", "width": 320, "height": 240,
                           "name": f"images/{n:032x}-320.jpg"}])
        for n in itertools.islice(_serial, count))


def contact_details_add(count: int) -> None:
    """None: the table holds one row at most, which the migration made."""


def policy_versions_add(count: int) -> None:
    from django.utils import timezone

    from privacy.models import PolicyVersion

    start = 1 + max(PolicyVersion.objects.values_list("number", flat=True), default=0)
    # Drafts: published versions can only be added one by one, in order (privacy/0003).
    PolicyVersion.objects.bulk_create(
        PolicyVersion(number=start + n, title="Privacy Policy", change_summary="Clearer.",
                      effective_at=timezone.now())
        for n in range(count))


def users_add(count: int) -> None:
    from django.contrib.auth.models import User

    User.objects.bulk_create(User(username=f"bulk-{n}", email=f"bulk-{n}@roochi.com")
                             for n in itertools.islice(_serial, count))


def groups_add(count: int) -> None:
    from django.contrib.auth.models import Group

    Group.objects.bulk_create(Group(name=f"Group {n}") for n in itertools.islice(_serial, count))


def task_results_add(count: int) -> None:
    from tests.quality.tasks import admin_list_probe

    for _ in range(count):
        admin_list_probe.enqueue()


def staff_member():
    from django.contrib.auth.models import User

    return User.objects.create_user(f"staff-{next(_serial)}", is_staff=True)


def outbound_mail_add(count: int) -> None:
    from communications.models import OutboundMail

    OutboundMail.objects.bulk_create(
        OutboundMail(to=f"p{n}@example.com", subject="Your request", body="Hello.",
                     message_id=f"<list-{n}@example.com>",
                     category=OutboundMail.Category.REPLY, purpose="inquiry-ack")
        for n in itertools.islice(_serial, count))


def undeliverable_addresses_add(count: int) -> None:
    from django.utils import timezone

    from communications.models import UndeliverableAddress

    UndeliverableAddress.objects.bulk_create(
        UndeliverableAddress(email=f"gone{n}@example.com", marked_at=timezone.now(),
                             status_code="5.1.1")
        for n in itertools.islice(_serial, count))


def inquiries_add(count: int) -> None:
    from tests.inquiries.conftest import InquiryFactory

    InquiryFactory.create_batch(count, assigned_to=staff_member())


def canned_replies_add(count: int) -> None:
    from inquiries.models import CannedReply

    CannedReply.objects.bulk_create(
        CannedReply(title=f"Reply {n}", body="Thank you, {name}.")
        for n in itertools.islice(_serial, count))


def inquiry_exports_add(count: int) -> None:
    from inquiries.models import InquiryExport

    staff = staff_member()
    InquiryExport.objects.bulk_create(
        InquiryExport(exported_by=staff, row_count=n, filters="") for n in range(count))


def people_add(count: int) -> None:
    from tests.privacy.requests.factories import PersonFactory

    PersonFactory.create_batch(count)


def privacy_requests_add(count: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from privacy.models import PrivacyRequest
    from privacy.models.people import email_hash
    from privacy.policy import current_version

    now, staff = timezone.now(), staff_member()
    for n in itertools.islice(_serial, count):
        email = f"p{n}@example.com"
        PrivacyRequest.objects.create(
            reference=f"PR-{n:06d}", kind="copy", email=email, email_hash=email_hash(email),
            status="verified", verify_by=now + timedelta(days=2), verified_at=now,
            due_at=now + timedelta(days=30), assigned_to=staff,
            policy_version=current_version(), purpose="privacy-request")


def newsletter_subscriptions_add(count: int) -> None:
    from privacy.models import NewsletterSource
    from privacy.policy import current_version
    from privacy.services.newsletter import newsletter_signup_start

    for n in itertools.islice(_serial, count):
        newsletter_signup_start(email=f"reader-{n}@example.com",
                                source=NewsletterSource.NEWSLETTER_SIGNUP,
                                wording="Send me the newsletter.",
                                policy_version=current_version())


def recipients_add(count: int) -> None:
    from tests.privacy.requests.factories import RecipientFactory

    RecipientFactory.create_batch(count)


def disclosures_add(count: int) -> None:
    from tests.privacy.requests.factories import DisclosureFactory

    DisclosureFactory.create_batch(count)


def obtained_information_add(count: int) -> None:
    from tests.privacy.requests.factories import ObtainedInformationFactory

    ObtainedInformationFactory.create_batch(count)


def staff_access_add(count: int) -> None:
    from privacy.models import StaffAccess

    staff = staff_member()
    StaffAccess.objects.bulk_create(
        StaffAccess(user=staff, action=StaffAccess.Action.VIEW, what=f"inquiry {n}")
        for n in range(count))


def statistics_rows_add(count: int) -> None:
    from datetime import date, timedelta

    from sitestats.models import Count

    Count.objects.bulk_create(
        Count(day=date(2026, 11, 30) - timedelta(days=n % 20), kind=Count.Kind.PAGE,
              value=f"/page-{n}/", count=n + 1)
        for n in itertools.islice(_serial, count))


def staff_mailings_add(model_name: str):
    def add(count: int) -> None:
        from django.apps import apps

        model, staff = apps.get_model("mailings", model_name), staff_member()
        model.objects.bulk_create(
            model(subject=f"Issue {n}", body="Closed on Sunday.", created_by=staff)
            for n in range(count))

    return add
def surveys_add(count: int) -> None:
    from tests.surveys.conftest import SurveyFactory

    SurveyFactory.create_batch(count)


def survey_entries_add(count: int) -> None:
    from privacy.policy import current_version
    from surveys.models import Entry
    from tests.surveys.conftest import SurveyFactory

    survey = SurveyFactory()
    Entry.objects.bulk_create(
        Entry(survey=survey, policy_version=current_version(), purpose="survey",
              email=f"entry{n}@example.com", name="Ana Pérez")
        for n in itertools.islice(_serial, count))


def sign_in_failures_add(count: int) -> None:
    from roochi_site.models import SignInFailure

    staff = staff_member()
    SignInFailure.objects.bulk_create(
        SignInFailure(account=staff, account_key=f"{n:064d}", client_key=f"{n:064d}")
        for n in range(count))


def app_devices_add(count: int) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=staff_member(), name="Authenticator app") for _ in range(count))


def recovery_devices_add(count: int) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.bulk_create(
        StaticDevice(user=staff_member(), name="Recovery codes") for _ in range(count))


def passkeys_add(count: int) -> None:
    from django_otp_webauthn.models import WebAuthnCredential

    ids = [f"credential {next(_serial)}".encode() for _ in range(count)]
    WebAuthnCredential.objects.bulk_create(
        WebAuthnCredential(user=staff_member(), name="Security key", credential_id=id_,
                           public_key=b"key",
                           credential_id_sha256=WebAuthnCredential.get_credential_id_sha256(id_))
        for id_ in ids)


ADMIN_LISTS = {
    "communications.OutboundMail": outbound_mail_add,
    "communications.UndeliverableAddress": undeliverable_addresses_add,
    "inquiries.Inquiry": inquiries_add,
    "inquiries.CannedReply": canned_replies_add,
    "inquiries.InquiryExport": inquiry_exports_add,
    "mailings.NewsletterIssue": staff_mailings_add("NewsletterIssue"),
    "mailings.ServiceAnnouncement": staff_mailings_add("ServiceAnnouncement"),
    "privacy.Person": people_add,
    "privacy.PrivacyRequest": privacy_requests_add,
    "privacy.Recipient": recipients_add,
    "privacy.NewsletterSubscription": newsletter_subscriptions_add,
    "privacy.Disclosure": disclosures_add,
    "privacy.ObtainedInformation": obtained_information_add,
    "privacy.StaffAccess": staff_access_add,
    "pages.Page": pages_add,
    "pages.Category": categories_add,
    "pages.Image": images_add,
    "pages.ContactDetails": contact_details_add,
    "privacy.PolicyVersion": policy_versions_add,
    "auth.User": users_add,
    "auth.Group": groups_add,
    "django_tasks_database.DBTaskResult": task_results_add,
    "sitestats.Count": statistics_rows_add,
    "surveys.Survey": surveys_add,
    "surveys.Entry": survey_entries_add,
    "roochi_site.SignInFailure": sign_in_failures_add,
    "otp_totp.TOTPDevice": app_devices_add,
    "otp_static.StaticDevice": recovery_devices_add,
    "django_otp_webauthn.WebAuthnCredential": passkeys_add,
}

"""Each request from the public page through confirmation, the staff queue and its
execution, to the mails the person receives (P6, P8, P10), over a real SMTP server
and the real task worker."""

import json
import re

import pytest
from django.test import Client
from django.utils.timezone import localtime

from communications.models import OutboundMail
from communications.services import mail_queue
from privacy import registry
from privacy.models import ClientProfile, Person, PrivacyRequest, StaffAccess
from privacy.models.people import email_hash
from tests.conftest import text_of
from tests.privacy.newsletter.conftest import subscribe
from tests.privacy.requests.conftest import link_in, request_confirm, request_submit
from tests.privacy.requests.factories import DisclosureFactory, ObtainedInformationFactory

pytestmark = pytest.mark.usefixtures("committed_db")

ANA = "ana@example.com"


def mails_to(smtp_server, address: str) -> list:
    return [m for m in smtp_server.messages if m["To"] == address]


# Actions that cannot be undone ask on a confirmation page first; its post says so.
CONFIRMED = {"erase", "refuse", "deactivate"}


def act(staff, privacy_request: PrivacyRequest, action: str, **data):
    if action in CONFIRMED:
        data = {"confirm": "yes", **data}
    response = staff.post(f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/{action}/",
                          data, follow=True)
    assert response.status_code == 200
    return response


def newsletter(to: str, category=OutboundMail.Category.NEWSLETTER) -> OutboundMail:
    return mail_queue(to=to, subject="Roochi news", template_name="communications/mail/footer.txt",
                      context={}, category=category, purpose="newsletter-test")


def confirmed(client, smtp_server, run_tasks, kind: str, **extra) -> PrivacyRequest:
    request_submit(client, ANA, kind, **extra)
    run_tasks()
    [verify] = [m for m in mails_to(smtp_server, ANA) if "Please confirm" in m["Subject"]]
    assert "/privacy/requests/confirm/" in text_of(verify)
    return request_confirm(client, ANA)


def test_copy_request_ends_with_a_cookieless_link_to_every_record_and_disclosure(
    client, staff, smtp_server, run_tasks
):
    person = Person.objects.create(email=ANA)
    DisclosureFactory(person=person, recipient__name="Coastline Freight",
                      details="Name and delivery address")
    ObtainedInformationFactory(person=person, source__name="West Credit Bureau")
    newsletter(ANA)
    privacy_request = confirmed(client, smtp_server, run_tasks, "copy")
    run_tasks()
    [received] = [m for m in mails_to(smtp_server, ANA) if "We received" in m["Subject"]]
    assert localtime(privacy_request.due_at).strftime("%-d %B %Y") in text_of(received)

    page = staff.get(f"/admin/privacy/privacyrequest/{privacy_request.pk}/change/?preview=1")
    assert "communications.OutboundMail" in page.content.decode()
    act(staff, privacy_request, "copy")
    run_tasks()
    [done] = [m for m in mails_to(smtp_server, ANA) if "is done" in m["Subject"]]
    path = link_in(text_of(done))

    visitor = Client()
    html = visitor.get(path)
    assert html.status_code == 200
    assert not html.cookies
    assert html["Cache-Control"] == "no-store, private"
    text = html.content.decode()
    assert "Coastline Freight" in text
    assert "West Credit Bureau" in text
    assert "Privacy policy, version 1" in text

    data = json.loads(visitor.get(path + "data.json").content)
    titles = [section["title"] for section in data["sections"]]
    assert titles[:1] == ["Your email address"]
    assert {"Your privacy requests", "Messages we sent you"} <= set(titles)
    [request_record] = next(section["records"] for section in data["sections"]
                            if section["title"] == "Your privacy requests")
    assert request_record["Collected under"] == "Privacy policy, version 1"
    assert request_record["What you asked"] == "Send me a copy of the data you hold about me"
    assert data["disclosures"][0]["recipient"] == "Coastline Freight"
    assert data["disclosures"][0]["legal_basis"] == "Needed for a service the person asked for"
    assert data["obtained_from_outside"][0]["kind"] == "Credit check"

    # P7: the staff looks, the export and the action are logged, without the address.
    log = StaffAccess.objects.filter(subject_hash=email_hash(ANA))
    assert set(log.values_list("action", flat=True)) == {"view", "export", "act"}
    assert not StaffAccess.objects.filter(what__contains=ANA).exists()
    privacy_request.refresh_from_db()
    assert privacy_request.status == PrivacyRequest.Status.COMPLETED
    assert [e.action for e in privacy_request.events.all()] == [
        "submitted", "verified", "previewed", "copy_sent", "completed"]
    assert privacy_request.events.get(action="copy_sent").actor == staff.user


def test_correction_is_applied_by_staff_and_the_person_is_told(
    client, staff, smtp_server, run_tasks
):
    person = Person.objects.create(email=ANA)
    profile = ClientProfile.objects.create(person=person, company="Ana Trading",
                                           account_number="C-100")
    privacy_request = confirmed(client, smtp_server, run_tasks, "correct",
                                wrong="Company name", should_be="Ana Trading Ltd")
    # Completing before anything is corrected is refused.
    response = act(staff, privacy_request, "complete")
    assert "Apply the correction first" in response.content.decode()

    staff.get(f"/admin/privacy/privacyrequest/{privacy_request.pk}/change/?preview=1")
    act(staff, privacy_request, "correct", record=f"privacy.ClientProfile|{profile.pk}|company",
        value="Ana Trading Ltd")
    act(staff, privacy_request, "complete", message="Your company name is now Ana Trading Ltd.")
    profile.refresh_from_db()
    assert profile.company == "Ana Trading Ltd"
    run_tasks()
    [done] = [m for m in mails_to(smtp_server, ANA) if "is done" in m["Subject"]]
    assert "Your company name is now Ana Trading Ltd." in text_of(done)


def test_a_correction_may_only_touch_the_persons_own_declared_fields(
    client, staff, smtp_server, run_tasks
):
    other = ClientProfile.objects.create(person=Person.objects.create(email="bob@example.com"),
                                         company="Bob Co", account_number="C-200")
    privacy_request = confirmed(client, smtp_server, run_tasks, "correct", wrong="x")
    # Only the person's own records and their declared fields are choices.
    response = act(staff, privacy_request, "correct",
                   record=f"privacy.ClientProfile|{other.pk}|company", value="Mine now")
    assert "Choose one of this person&#x27;s records" in response.content.decode()
    response = act(staff, privacy_request, "correct",
                   record=f"privacy.PrivacyRequest|{privacy_request.pk}|status", value="completed")
    assert "Choose one of this person&#x27;s records" in response.content.decode()
    other.refresh_from_db()
    assert other.company == "Bob Co"
    privacy_request.refresh_from_db()
    assert privacy_request.is_open


def test_refusal_tells_the_person_why(client, staff, smtp_server, run_tasks):
    privacy_request = confirmed(client, smtp_server, run_tasks, "delete")
    response = act(staff, privacy_request, "refuse", reason="")
    assert "Say why the request is refused" in response.content.decode()
    act(staff, privacy_request, "refuse",
        reason="We must keep invoices for seven years under tax law.")
    run_tasks()
    [refused] = [m for m in mails_to(smtp_server, ANA) if "was refused" in m["Subject"]]
    assert "We must keep invoices for seven years under tax law." in text_of(refused)
    privacy_request.refresh_from_db()
    assert privacy_request.status == PrivacyRequest.Status.REFUSED
    # A closed request takes no more actions.
    response = act(staff, privacy_request, "erase")
    assert "Nothing was changed" in response.content.decode()


def test_deactivation_stops_every_mail_until_a_new_verified_request(
    client, staff, smtp_server, run_tasks
):
    subscribe(ANA)
    subscribe("bob@example.com")
    run_tasks()
    smtp_server.messages.clear()
    privacy_request = confirmed(client, smtp_server, run_tasks, "deactivate")
    act(staff, privacy_request, "deactivate")
    run_tasks()
    assert Person.objects.get(email=ANA).status == Person.Status.DEACTIVATED
    assert [m for m in mails_to(smtp_server, ANA) if "is done" in m["Subject"]]

    # A mailing to everyone leaves her out; others still get it.
    smtp_server.messages.clear()
    mailing = [newsletter(ANA), newsletter("bob@example.com"),
               newsletter(ANA, category=OutboundMail.Category.SERVICE)]
    run_tasks()
    assert [m["To"] for m in smtp_server.messages] == ["bob@example.com"]
    assert [OutboundMail.objects.get(pk=m.pk).status for m in mailing] == [
        "suppressed", "sent", "suppressed"]
    # Her rows drop out of every list the registry gives.
    assert not registry.excluding_inactive(PrivacyRequest.objects.filter(email=ANA)).exists()

    # The confirmation of a request to come back still reaches her; then the
    # newsletter she had confirmed before.
    smtp_server.messages.clear()
    confirmed(client, smtp_server, run_tasks, "reactivate")
    assert Person.objects.get(email=ANA).status == Person.Status.ACTIVE
    newsletter(ANA)
    run_tasks()
    assert [m["Subject"] for m in mails_to(smtp_server, ANA)][-1] == "Roochi news"


@pytest.mark.parametrize(
    "case",
    [("stop_newsletter", "suppressed", "sent"), ("stop_all", "suppressed", "suppressed")],
)
def test_opting_out_takes_effect_on_confirmation_without_staff(
    client, smtp_server, run_tasks, case
):
    kind, newsletter_status, service_status = case
    request_submit(client, ANA, kind)
    run_tasks()
    queued_before = newsletter(ANA)
    privacy_request = request_confirm(client, ANA)
    assert privacy_request.status == PrivacyRequest.Status.COMPLETED
    service = newsletter(ANA, category=OutboundMail.Category.SERVICE)
    later = newsletter(ANA)
    run_tasks()
    # A mail queued before the choice is stopped too: the check is made at delivery.
    statuses = [OutboundMail.objects.get(pk=m.pk).status for m in (queued_before, later, service)]
    assert statuses == [newsletter_status, newsletter_status, service_status]
    assert [m for m in mails_to(smtp_server, ANA) if "is done" in m["Subject"]]


def test_deadline_is_configurable_and_the_queue_puts_overdue_first(
    client, staff, smtp_server, run_tasks, settings
):
    settings.PRIVACY_REQUEST_DEADLINE_DAYS = 10
    privacy_request = confirmed(client, smtp_server, run_tasks, "copy")
    assert (privacy_request.due_at - privacy_request.verified_at).days == 10

    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for reference, due, status in [("PR-LATER", now + timedelta(days=20), "verified"),
                                   ("PR-OVERDUE", now - timedelta(days=2), "verified"),
                                   ("PR-CLOSED", now - timedelta(days=9), "completed")]:
        PrivacyRequest.objects.create(
            reference=reference, kind="copy", email=f"{reference}@example.com",
            email_hash=email_hash(f"{reference}@example.com"), status=status,
            verify_by=now, verified_at=now - timedelta(days=30), due_at=due,
            policy_version=privacy_request.policy_version, purpose="privacy-request")
    PrivacyRequest.objects.create(
        reference="PR-UNVERIFIED", kind="copy", email="u@example.com",
        email_hash=email_hash("u@example.com"), verify_by=now + timedelta(hours=1),
        policy_version=privacy_request.policy_version, purpose="privacy-request")

    page = staff.get("/admin/privacy/privacyrequest/").content.decode()
    order = re.findall(r"PR-[A-Z0-9]+", page)
    listed = list(dict.fromkeys(order))
    assert listed == ["PR-OVERDUE", privacy_request.reference, "PR-LATER", "PR-CLOSED"]
    assert "PR-UNVERIFIED" not in page
    assert ANA not in page  # addresses are masked in the list
    assert PrivacyRequest.objects.get(reference="PR-OVERDUE").is_overdue


def test_staff_views_of_a_person_are_logged_without_the_address(staff):
    person = Person.objects.create(email=ANA)
    listing = staff.get("/admin/privacy/person/").content.decode()
    assert ANA not in listing
    assert "a\u2022\u2022\u2022@example.com" in listing
    assert not StaffAccess.objects.exists()  # a masked list shows no personal data

    assert ANA in staff.get(f"/admin/privacy/person/{person.pk}/change/").content.decode()
    [entry] = StaffAccess.objects.all()
    assert (entry.user, entry.action, entry.subject_hash) == (staff.user, "view", email_hash(ANA))


def test_staff_assign_add_notes_and_see_the_timeline_and_deadline(
    client, staff, smtp_server, run_tasks
):
    privacy_request = confirmed(client, smtp_server, run_tasks, "deactivate")
    url = f"/admin/privacy/privacyrequest/{privacy_request.pk}/change/"
    response = staff.post(url, {"assigned_to": staff.user.pk})
    assert response.status_code == 302
    act(staff, privacy_request, "note", note="Called to check it is really her.")
    page = staff.get(url).content.decode()
    assert "Act on this request" in page
    assert "Deactivate the person" in page
    assert localtime(privacy_request.due_at).strftime("%-d %B %Y") in page
    assert "Called to check it is really her." in page
    privacy_request.refresh_from_db()
    assert privacy_request.assigned_to == staff.user
    events = [(e.action, e.actor) for e in privacy_request.events.all()]
    assert events[-2:] == [("assigned", staff.user), ("note", staff.user)]

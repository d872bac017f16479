"""Staff in the admin: find an inquiry, see how the person wants the reply, reply by
email, record a call, note, change status and assignment, see the deadline, export
only with the permission, each export recorded."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from communications.models import OutboundMail
from inquiries.models import Inquiry, InquiryEvent, InquiryExport, ReplyChannel, Status
from privacy import registry
from privacy.models import Person, StaffAccess
from privacy.models.people import email_hash
from roochi_site.working_days import working_days_after
from tests.database import traces
from tests.inquiries.conftest import InquiryFactory, StaffFactory, valid_post
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

LIST = "/admin/inquiries/inquiry/"


def change_url(inquiry):
    return f"{LIST}{inquiry.pk}/change/"


def act(client, inquiry, action, **data):
    return client.post(f"{LIST}{inquiry.pk}/act/{action}/", data)


def test_the_list_masks_personal_data_and_shows_the_newest_first(staff_client):
    older = InquiryFactory(name="Ana María Pérez", email="ana@example.com",
                           reply_by=ReplyChannel.PHONE,
                           collected_at=timezone.now() - timedelta(days=3))
    newer = InquiryFactory(name="Bo Li", email="bo@example.com")
    html = staff_client.get(LIST).text
    assert html.index(newer.reference) < html.index(older.reference)
    assert "Ana M. P." in html
    assert "Phone \u2022\u2022\u2022 92" in html
    # The address is on the inquiry's page only, whose every view is logged.
    assert "ana@example.com" not in html
    assert "+13237225592" not in html
    assert "Ana María Pérez" not in html


@pytest.mark.parametrize("term", ["ana@example.com", "Pérez", "(323) 722-5592", "RT-"])
def test_staff_find_an_inquiry_by_email_name_phone_or_reference(staff_client, term):
    inquiry = InquiryFactory(name="Ana Pérez", email="ana@example.com", phone="+13237225592")
    InquiryFactory(name="Bo Li", email="bo@example.com", phone="+442079460958")
    query = inquiry.reference if term == "RT-" else term
    html = staff_client.get(LIST, {"q": query}).text
    assert inquiry.reference in html
    assert "1 result" in html


def test_filters_by_form_topic_status_assignee_and_overdue(staff_client, staff):
    overdue = InquiryFactory(first_response_due=timezone.now() - timedelta(hours=1))
    on_time = InquiryFactory(purpose="support", topic="invoice", status=Status.OPEN,
                             assigned_to=staff)
    for query, shown, hidden in [
        ({"first_reply": "overdue"}, overdue, on_time),
        ({"first_reply": "not-overdue"}, on_time, overdue),
        ({"purpose__exact": "support"}, on_time, overdue),
        ({"topic__exact": "invoice"}, on_time, overdue),
        ({"status__exact": "open"}, on_time, overdue),
        ({"assigned_to__id__exact": staff.pk}, on_time, overdue),
    ]:
        html = staff_client.get(LIST, query).text
        assert shown.reference in html, query
        assert hidden.reference not in html, query


def test_an_overdue_inquiry_is_highlighted_in_words(staff_client):
    InquiryFactory(first_response_due=timezone.now() - timedelta(hours=1))
    assert "Overdue since" in staff_client.get(LIST).text


def test_the_deadline_is_counted_in_working_days(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    friday = timezone.make_aware(timezone.datetime(2026, 11, 27, 15, 0))
    due = working_days_after(friday, 2)
    assert (due.weekday(), due.hour) == (1, 15)  # the Tuesday after, same time
    saturday = friday + timedelta(days=1)
    assert working_days_after(saturday, 2).weekday() == 1


def test_the_deadline_is_set_per_form_from_the_settings(browser_client, settings):
    from tests.inquiries.conftest import valid_post

    settings.INQUIRY_FIRST_RESPONSE_WORKING_DAYS_BY_FORM = {"information": 2, "support": 1}
    browser_client.post("/support-request/", valid_post("support"))
    inquiry = Inquiry.objects.get()
    assert inquiry.first_response_due == working_days_after(inquiry.collected_at, 1)


def test_the_inquiry_page_shows_the_preferred_channel_and_the_policy_version(staff_client):
    inquiry = InquiryFactory(reply_by=ReplyChannel.PHONE)
    html = staff_client.get(change_url(inquiry)).text
    assert 'id="preferred-channel"' in html
    assert "Wants the reply: <strong>by phone</strong>" in html
    assert "+1 323-722-5592" in html
    assert f'href="{inquiry.policy_version.get_absolute_url()}"' in html
    assert "This person asked to be called" in html
    # The confirmation box is on the email reply form only, the other channel here.
    assert 'id="reply_confirm_other_channel"' in html
    assert 'id="phone_confirm_other_channel"' not in html


def test_the_inquiry_shows_its_deadline_in_the_staff_time_zone(staff_client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    due = timezone.make_aware(timezone.datetime(2026, 12, 3, 16, 0))  # Berlin
    inquiry = InquiryFactory(first_response_due=due)
    html = staff_client.get(change_url(inquiry)).text
    assert "First reply due <time datetime=\"2026-12-03T16:00:00+0100\">" \
        "Thursday 3 December 2026, 16:00 CET</time> (Europe/Berlin;" in html
    settings.TIME_ZONE = "America/Los_Angeles"
    html = staff_client.get(change_url(inquiry)).text
    assert "Thursday 3 December 2026, 07:00 PST</time> (America/Los_Angeles;" in html


def test_a_reply_by_email_is_queued_logged_and_counts_as_the_first_response(
    staff_client, staff
):
    inquiry = InquiryFactory(email="ana@example.com")
    response = act(staff_client, inquiry, "reply", body="Forty tonnes cost 12,000 USD.",
                   confirm="yes")
    assert response.status_code == 302
    mail = OutboundMail.objects.get(to="ana@example.com")
    assert "Forty tonnes cost 12,000 USD." in mail.body
    assert inquiry.reference in mail.subject
    event = InquiryEvent.objects.get(kind=InquiryEvent.Kind.EMAIL_REPLY)
    assert (event.author, event.mail, event.against_preference) == (staff, mail, False)
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at is not None
    assert inquiry.status == Status.ANSWERED
    html = staff_client.get(change_url(inquiry)).text
    assert "Forty tonnes cost 12,000 USD." in html
    assert "(mail: waiting to be sent)" in html


def test_replying_the_other_way_needs_a_confirmation(staff_client):
    inquiry = InquiryFactory(reply_by=ReplyChannel.PHONE)
    response = act(staff_client, inquiry, "reply", body="Kept draft")
    assert response.status_code == 200
    assert "asked for a reply by phone" in response.text
    assert "Kept draft</textarea>" in response.text
    assert not OutboundMail.objects.exists()
    # Ticked, the preview is shown; sent from it, the reply is marked.
    preview = act(staff_client, inquiry, "reply", body="Kept draft", confirm_other_channel="on")
    assert 'id="preview-text"' in preview.text
    assert not OutboundMail.objects.exists()
    act(staff_client, inquiry, "reply", body="Kept draft", confirm_other_channel="True",
        confirm="yes")
    assert InquiryEvent.objects.get().against_preference is True


def test_a_phone_reply_is_recorded_with_when_who_and_what(staff_client, staff):
    inquiry = InquiryFactory(reply_by=ReplyChannel.PHONE)
    called_at = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=2)
    response = act(staff_client, inquiry, "phone", summary="Quoted 12,000 USD.",
                   called_at=called_at.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    event = InquiryEvent.objects.get()
    assert (event.kind, event.author, event.happened_at, event.text) == (
        InquiryEvent.Kind.PHONE_REPLY, staff, called_at, "Quoted 12,000 USD.")
    inquiry.refresh_from_db()
    assert inquiry.first_responded_at == called_at
    assert not OutboundMail.objects.exists()


def test_a_call_in_the_future_cannot_be_logged(staff_client):
    inquiry = InquiryFactory(reply_by=ReplyChannel.PHONE)
    later = timezone.localtime() + timedelta(days=1)
    response = act(staff_client, inquiry, "phone", summary="Soon",
                   called_at=later.strftime("%Y-%m-%dT%H:%M"))
    assert "cannot be logged before it took place" in response.text
    assert not InquiryEvent.objects.exists()


def test_notes_status_and_assignment_land_in_the_timeline(staff_client, staff):
    colleague = StaffFactory(username="bo")
    inquiry = InquiryFactory()
    act(staff_client, inquiry, "note", text="Called the warehouse first.")
    act(staff_client, inquiry, "handling", status="closed", assigned_to=colleague.pk)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CLOSED
    assert inquiry.closed_at is not None
    assert inquiry.assigned_to == colleague
    assert [(event.kind, event.change) for event in inquiry.events.all()] == [
        ("note", ""), ("status", "Closed"), ("assignment", "bo")]
    html = staff_client.get(change_url(inquiry)).text
    assert "Called the warehouse first." in html
    act(staff_client, inquiry, "handling", status="open", assigned_to="")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_at, inquiry.assigned_to) == ("open", None, None)


def test_staff_who_may_only_view_cannot_act(client):
    viewer = StaffFactory(permissions=["view_inquiry"])
    staff_sign_in(client, viewer)
    inquiry = InquiryFactory()
    assert client.get(change_url(inquiry)).status_code == 200
    assert act(client, inquiry, "note", text="x").status_code == 403
    assert not InquiryEvent.objects.exists()


def test_the_staff_notice_links_the_inquiry_by_its_reference(browser_client, staff_client):
    """The notice is written before the inquiry has an id; its link opens the
    inquiry's page (and every page of it) for staff who may see it, no one else."""
    assert browser_client.post("/support-request/", valid_post("support")).status_code == 302
    inquiry = Inquiry.objects.get()
    notice = OutboundMail.objects.get(category=OutboundMail.Category.STAFF_NOTICE)
    [link] = [line for line in notice.body.splitlines() if "/admin/" in line]
    path = link[link.index("/admin/"):]
    assert path == f"{LIST}{inquiry.reference}/change/"
    page = staff_client.get(path)
    assert page.status_code == 200
    assert page.context["original"] == inquiry
    assert inquiry.email in page.text
    assert staff_client.get(f"{LIST}{inquiry.reference}/history/").status_code == 200
    # An unknown reference is no page: the admin says so, as for an unknown id.
    assert staff_client.get(f"{LIST}RT-AAAAAA/change/").status_code == 302
    other = StaffFactory(username="canned-replies-only", permissions=["view_cannedreply"])
    staff_client.logout()
    staff_sign_in(staff_client, other)
    assert staff_client.get(path).status_code == 403


def test_inquiries_cannot_be_added_in_the_admin(staff_client):
    assert staff_client.get(f"{LIST}add/").status_code == 403


def test_export_needs_its_own_permission(staff_client):
    InquiryFactory()
    assert "Export this list to CSV" not in staff_client.get(LIST).text
    assert staff_client.post(f"{LIST}export/").status_code == 403
    assert not InquiryExport.objects.exists()


def test_an_export_of_the_filtered_list_is_recorded(client):
    exporter = StaffFactory(permissions=["view_inquiry", "export_inquiry"])
    staff_sign_in(client, exporter)
    wanted = InquiryFactory(purpose="support", topic="invoice", name="=HYPERLINK(1)",
                            company="Société Générale Épicerie")
    InquiryFactory()
    assert "Export this list to CSV" in client.get(LIST).text
    response = client.post(f"{LIST}export/?purpose__exact=support&q={wanted.email}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # A byte-order mark, so that spreadsheet programs read the accents.
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == wanted.reference
    assert "'=HYPERLINK(1)" in rows[1]  # a spreadsheet shows it as text
    assert "Société Générale Épicerie" in rows[1]
    # Times in the site's time zone, to the minute.
    received = timezone.localtime(wanted.collected_at).strftime("%Y-%m-%d %H:%M")
    assert rows[1][rows[0].index("Received")] == received
    export = InquiryExport.objects.get()
    assert (export.exported_by, export.row_count) == (exporter, 1)
    # The export log says a search was made, not what was searched for (an address
    # here, often a name): the term is kept nowhere but in the inquiry itself.
    assert export.filters == "purpose__exact=support&search=yes"
    assert traces(wanted.email) == [("inquiries_inquiry", "email")]
    # P7: the export is in the staff access log with every other view and export.
    logged = StaffAccess.objects.get(action=StaffAccess.Action.EXPORT)
    assert (logged.user, logged.what) == (exporter, "1 inquiries as CSV")


def test_opening_an_inquiry_is_logged_with_a_hash_of_whose_it_was(staff_client, staff):
    inquiry = InquiryFactory(email="ana@example.com")
    staff_client.get(change_url(inquiry))
    logged = StaffAccess.objects.get(action=StaffAccess.Action.VIEW)
    assert (logged.user, logged.what) == (staff, f"inquiry {inquiry.reference}")
    assert logged.subject_hash == email_hash("ana@example.com")
    # Whose data it was is kept as that keyed hash only: the address is in no column
    # but the inquiry's own.
    assert traces("ana@example.com") == [("inquiries_inquiry", "email")]


def test_a_deactivated_persons_inquiries_leave_the_list_and_the_export(client):
    exporter = StaffFactory(permissions=["view_inquiry", "export_inquiry"])
    staff_sign_in(client, exporter)
    kept = InquiryFactory(email="bo@example.com")
    gone = InquiryFactory(email="ana@example.com", newsletter=True)
    Person.objects.create(email="ana@example.com", email_hash=email_hash("ana@example.com"))
    registry.deactivate_person("ana@example.com")

    html = client.get(LIST).text
    assert kept.reference in html
    assert gone.reference not in html
    exported = client.post(f"{LIST}export/").content.decode()
    assert kept.reference in exported
    assert gone.reference not in exported
    gone.refresh_from_db()
    assert gone.newsletter is False


def test_an_export_is_a_post(client):
    exporter = StaffFactory(permissions=["view_inquiry", "export_inquiry"])
    staff_sign_in(client, exporter)
    assert client.get(f"{LIST}export/").status_code == 405


def test_the_admin_list_takes_the_same_queries_for_5_or_60_rows(
    staff_client, staff, django_assert_max_num_queries
):
    InquiryFactory.create_batch(5, assigned_to=staff)
    with django_assert_max_num_queries(12) as few:
        staff_client.get(LIST)
    InquiryFactory.create_batch(55, assigned_to=StaffFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(LIST)


def test_an_export_with_broken_filters_exports_nothing(client):
    exporter = StaffFactory(permissions=["view_inquiry", "export_inquiry"])
    staff_sign_in(client, exporter)
    InquiryFactory()
    response = client.post(f"{LIST}export/?collected_at__gte=not-a-date")
    assert response.status_code == 302
    assert not InquiryExport.objects.exists()


def test_staff_assign_to_themselves_and_close_several_at_once(staff_client, staff):
    first, second = InquiryFactory(), InquiryFactory()
    staff_client.post(LIST, {"action": "assign_to_me", "_selected_action": [first.pk, second.pk]})
    staff_client.post(LIST, {"action": "close", "_selected_action": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.assigned_to, first.status) == (staff, Status.CLOSED)
    assert (second.assigned_to, second.status) == (staff, Status.NEW)
    assert first.events.filter(kind="status", change="Closed").exists()


def test_a_new_inquiry_after_a_deactivation_is_shown_and_acknowledged(
        client, browser_client, settings):
    """The person stopped everything, then wrote to us again: they asked to be
    contacted about that request, so staff see it and its mail goes (P5, P6)."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    old = InquiryFactory(email="ana.perez@example.com")
    Person.objects.create(email="ana.perez@example.com")
    registry.deactivate_person("ana.perez@example.com")
    # Another spelling of the same address, as people type it.
    response = browser_client.post("/information-request/",
                                   valid_post(email='"Ana.Perez"@Example.com'))
    assert response.status_code == 302
    new = Inquiry.objects.exclude(pk=old.pk).get()
    assert new.email == "ana.perez@example.com"

    staff = StaffFactory(permissions=["view_inquiry", "change_inquiry"])
    staff_sign_in(client, staff)
    html = client.get(LIST).text
    assert new.reference in html
    assert old.reference not in html
    page = client.get(f"{LIST}{new.pk}/change/").text
    assert 'id="contact-stopped"' in page
    assert "stopped all contact with us" in page

    from communications.services import mail_deliver

    acknowledgement = mail_deliver(mail_id=new.acknowledgement_id)
    assert acknowledgement.status == OutboundMail.Status.SENT

    # It follows the normal retention: closed and old, it is erased like any other.
    from inquiries.services import inquiries_purge

    Inquiry.objects.filter(pk=new.pk).update(
        status=Status.CLOSED, closed_at=timezone.now() - timedelta(days=3 * 366))
    assert inquiries_purge() == 1
    assert not Inquiry.objects.filter(pk=new.pk).exists()

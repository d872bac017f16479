"""What happens to an inquiry: sent by a visitor, handled by staff, erased in time.

Every function works in one transaction and is called alike from views, the admin
and management commands.
"""

import csv
import hashlib
import secrets
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from communications.content import MailContent, mail_content_render
from communications.models import OutboundMail
from communications.services import mail_queue, mail_row, mails_store
from inquiries.models import (
    Form,
    Inquiry,
    InquiryEvent,
    InquiryExport,
    OverdueDigest,
    ReplyChannel,
    Status,
)
from privacy import registry
from privacy.models import NewsletterSource, PolicyVersion, StaffAccess
from privacy.models.people import email_hash
from privacy.services.confirmations import confirmation_recently_sent
from privacy.services.newsletter import newsletter_signup_start
from privacy.services.people import staff_access_record
from roochi_site.company import company
from roochi_site.email_address import email_canonical
from roochi_site.spreadsheet import spreadsheet_safe
from roochi_site.submission_limit import SubmissionLimitReachedError, submission_count_increment
from roochi_site.working_days import working_days_after

# Read out on the phone without doubt: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 10
REFERENCE_PREFIX = "RT-"


NEWSLETTER_SOURCES = {Form.INFORMATION: NewsletterSource.INFORMATION_REQUEST,
                      Form.SUPPORT: NewsletterSource.SUPPORT_REQUEST}


class ReplyAgainstPreferenceError(Exception):
    """P5: staff must confirm before replying on the channel the person did not ask for."""


def reference_new() -> str:
    """RT- and six random letters and digits: 31**6 (about 887 million) possibilities,
    not a sequence, so a reference reveals nothing about other inquiries."""
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def submission_key(*, form_token: str, email: str) -> str:
    """What makes a post the same submission as another: the same form, shown once,
    sent by the same person (see Inquiry.submission_key)."""
    return hashlib.sha256(f"{form_token}|{email}".encode()).hexdigest()


def inquiry_admin_path(inquiry: Inquiry) -> str:
    """The inquiry's page in the admin, by its reference (InquiryAdmin.get_object),
    which is known before the row is written and reads well in a mail."""
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.reference])


def inquiry_staff_address(purpose: str) -> str:
    if purpose == Form.SUPPORT:
        return settings.INQUIRY_SUPPORT_TO
    return settings.INQUIRY_INFORMATION_TO


def inquiry_submit(
    *,
    purpose: str,
    name: str,
    email: str,
    phone: str,
    reply_by: str,
    company: str,
    topic: str,
    order_number: str,
    message: str,
    newsletter: bool,
    other_purposes: bool,
    policy_version: PolicyVersion,
    form_token: str,
    client_address: str,
    newsletter_wording: str = "",
    category: str = "",
) -> Inquiry:
    """Store an inquiry, its acknowledgement and the staff notice, all or nothing.

    ``category``: the product category chosen with the topic Products, by its name.
    The newsletter choice starts the double opt-in of every sign-up, recording the
    form and the choice's words (``newsletter_wording``, the label shown; P3, P6).

    The same form sent again by the same person returns the inquiry it already made,
    past the hourly limit too. Raises SubmissionLimitReachedError when this address
    sent too many this hour.

    Everything but the writing happens before the transaction, which is three
    statements: both mails, their delivery task, the inquiry (docs/decisions.md).
    """
    email = email_canonical(email)
    key = submission_key(form_token=form_token, email=email)
    now = timezone.now()
    # Counted first, on its own and committed at once: a post over the limit writes
    # nothing else, and the hot row of one client is locked for one statement, not
    # for a whole submission (docs/decisions.md).
    try:
        submission_count_increment(scope="inquiries", client_address=client_address,
                                   limit=settings.INQUIRY_LIMIT_PER_HOUR, at=now)
    except SubmissionLimitReachedError:
        # A second click, or a browser sending the form again: thanked as the first.
        if existing := Inquiry.objects.filter(submission_key=key).first():
            return existing
        raise
    working_days = settings.INQUIRY_FIRST_RESPONSE_WORKING_DAYS_BY_FORM.get(
        purpose, settings.INQUIRY_FIRST_RESPONSE_WORKING_DAYS
    )
    inquiry = Inquiry(
        purpose=purpose,
        policy_version=policy_version,
        collected_at=now,
        submission_key=key,
        name=name,
        email=email,
        phone=phone,
        reply_by=reply_by,
        company=company,
        topic=topic,
        category=category,
        order_number=order_number,
        message=message,
        newsletter=newsletter,
        other_purposes=other_purposes,
        first_response_due=working_days_after(now, working_days),
    )
    for _attempt in range(REFERENCE_ATTEMPTS):
        inquiry.reference = reference_new()
        mails = inquiry_first_mails(inquiry, working_days=working_days)
        try:
            with transaction.atomic():
                # The mails first, so that the inquiry's row is written once, with its
                # acknowledgement; a refused insert takes them back with it.
                inquiry.acknowledgement, _notice = mails_store(mails)
                inquiry.save(force_insert=True)
                if newsletter:
                    newsletter_signup_start(
                        email=email, source=NEWSLETTER_SOURCES[purpose],
                        wording=newsletter_wording, policy_version=policy_version)
        except IntegrityError as error:
            constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
            if constraint == "inquiry_submission_unique":
                # The same submission, committed first by another post.
                return Inquiry.objects.get(submission_key=key)
            if constraint != "inquiry_reference_unique":
                raise
        else:
            return inquiry
    raise RuntimeError("no free inquiry reference after several attempts")


def inquiry_first_mails(inquiry: Inquiry, *, working_days: int) -> list[OutboundMail]:
    """The acknowledgement and the staff notice of a new inquiry, rendered, unsaved.
    The notice's link names the inquiry by its reference: it is written before the
    inquiry has an id."""
    context = {"inquiry": inquiry, "working_days": working_days}
    return [
        mail_row(
            to=inquiry.email,
            content=mail_content_render(
                subject=f"We received your request {inquiry.reference}",
                template_name="inquiries/mail/acknowledgement.txt", context=context,
                # The new inquiry has no thread yet.
                headers=inquiry_thread_headers(inquiry, earlier=[])),
            category=OutboundMail.Category.REPLY,
            purpose=f"inquiry-{inquiry.purpose}-acknowledgement",
            answers_request_of=inquiry.collected_at,
        ),
        mail_row(
            to=inquiry_staff_address(inquiry.purpose),
            content=mail_content_render(
                subject=f"New {inquiry.get_purpose_display().lower()} "
                f"{inquiry.reference}: {inquiry.topic_described}",
                template_name="inquiries/mail/staff_notice.txt",
                context={**context, "admin_path": inquiry_admin_path(inquiry)}),
            category=OutboundMail.Category.STAFF_NOTICE,
            purpose=f"inquiry-{inquiry.purpose}-staff-notice",
        ),
    ]


# A long thread keeps its first message and the latest ones (RFC 5322 section 3.6.4
# lets References be shortened so).
THREAD_REFERENCES_KEPT = 10


def inquiry_thread_headers(inquiry: Inquiry, *,
                           earlier: list[OutboundMail] | None = None) -> dict[str, str]:
    """Headers that keep an inquiry's mail one thread in the person's mail program
    (RFC 5322 section 3.6.4) and bring their answer to the support inbox, where
    communications/inbox.py adds it to the timeline. ``earlier``: the thread's mail
    so far, when the caller knows it (a new inquiry has none)."""
    headers = {"Reply-To": company().support_email}
    if earlier is not None:
        sent = earlier
    else:
        sent = [inquiry.acknowledgement] if inquiry.acknowledgement else []
        sent += [event.mail for event in
                 inquiry.events.exclude(mail=None).select_related("mail")]
    message_ids = [mail.message_id for mail in sent]
    if message_ids:
        kept = message_ids[:1] + message_ids[1:][-(THREAD_REFERENCES_KEPT - 1):]
        headers |= {"In-Reply-To": message_ids[-1], "References": " ".join(kept)}
    return headers


def inquiry_locked(inquiry: Inquiry) -> Inquiry:
    """The inquiry's row, locked until the transaction ends: staff acting at the same
    time are serialised."""
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def inquiry_change_status(
    *, inquiry: Inquiry, status: str, by: AbstractBaseUser | None
) -> Inquiry:
    with transaction.atomic():
        inquiry = inquiry_locked(inquiry)
        if inquiry.status == status:
            return inquiry
        inquiry.status = status
        inquiry.closed_at = timezone.now() if status == Status.CLOSED else None
        inquiry.save(update_fields=["status", "closed_at"])
        InquiryEvent.objects.create(
            inquiry=inquiry, kind=InquiryEvent.Kind.STATUS, author=by,
            change=Status(status).label,
        )
    return inquiry


def inquiry_assign(
    *, inquiry: Inquiry, assignee: AbstractBaseUser | None, by: AbstractBaseUser
) -> Inquiry:
    with transaction.atomic():
        inquiry = inquiry_locked(inquiry)
        if inquiry.assigned_to_id == (assignee.pk if assignee else None):
            return inquiry
        inquiry.assigned_to = assignee
        inquiry.save(update_fields=["assigned_to"])
        InquiryEvent.objects.create(
            inquiry=inquiry, kind=InquiryEvent.Kind.ASSIGNMENT, author=by,
            change=assignee.get_username() if assignee else "Nobody",
        )
    return inquiry


def inquiry_add_note(*, inquiry: Inquiry, author: AbstractBaseUser, text: str) -> InquiryEvent:
    """An internal note: never sent to the person, but in the copy of their data (P8)."""
    return InquiryEvent.objects.create(
        inquiry=inquiry, kind=InquiryEvent.Kind.NOTE, author=author, text=text
    )


def inquiry_reply_mark(
    *, inquiry: Inquiry, channel: str, confirmed_other_channel: bool, at: datetime
) -> bool:
    """Check the channel (P5) and mark the first response; whether it was the other
    channel than the one the person asked for."""
    against_preference = inquiry.reply_by != channel
    if against_preference and not confirmed_other_channel:
        raise ReplyAgainstPreferenceError
    if inquiry.first_responded_at is None:
        inquiry.first_responded_at = at
    if inquiry.status in {Status.NEW, Status.OPEN}:
        inquiry.status = Status.ANSWERED
    inquiry.save(update_fields=["first_responded_at", "status"])
    return against_preference


def inquiry_reply_content_arguments(*, inquiry: Inquiry, author: AbstractBaseUser,
                                    body: str) -> dict:
    """What a staff reply's mail is rendered from (mail_content_render's arguments):
    the subject with the reference, the greeting, the staff's text, the signature,
    the person's question quoted, and the thread's headers."""
    return {
        "subject": f"Your request {inquiry.reference}",
        "template_name": "inquiries/mail/reply.txt",
        "context": {"inquiry": inquiry, "body": body.strip(),
                    "signature": author.get_full_name() or author.get_username(),
                    "quoted_message": "\n".join(
                        f"> {line}".rstrip() for line in inquiry.message.splitlines())},
        "headers": inquiry_thread_headers(inquiry),
    }


def inquiry_reply_preview(*, inquiry: Inquiry, author: AbstractBaseUser,
                          body: str) -> MailContent:
    """The reply's mail exactly as inquiry_reply_by_email will queue it."""
    return mail_content_render(
        **inquiry_reply_content_arguments(inquiry=inquiry, author=author, body=body))


def inquiry_reply_by_email(
    *,
    inquiry: Inquiry,
    author: AbstractBaseUser,
    body: str,
    confirmed_other_channel: bool = False,
) -> InquiryEvent:
    """Queue a staff reply to the person and log it in the timeline (P5)."""
    with transaction.atomic():
        inquiry = inquiry_locked(inquiry)
        now = timezone.now()
        against_preference = inquiry_reply_mark(
            inquiry=inquiry, channel=ReplyChannel.EMAIL,
            confirmed_other_channel=confirmed_other_channel, at=now,
        )
        mail = mail_queue(
            to=inquiry.email,
            **inquiry_reply_content_arguments(inquiry=inquiry, author=author, body=body),
            category=OutboundMail.Category.REPLY,
            purpose=f"inquiry-{inquiry.purpose}-reply",
            answers_request_of=inquiry.collected_at,
        )
        return InquiryEvent.objects.create(
            inquiry=inquiry, kind=InquiryEvent.Kind.EMAIL_REPLY, author=author,
            happened_at=now, text=body, against_preference=against_preference, mail=mail,
        )


def inquiry_log_phone_reply(
    *,
    inquiry: Inquiry,
    author: AbstractBaseUser,
    called_at: datetime,
    summary: str,
    confirmed_other_channel: bool = False,
) -> InquiryEvent:
    """Record a reply given by phone: when, who, what was said (P5)."""
    with transaction.atomic():
        inquiry = inquiry_locked(inquiry)
        against_preference = inquiry_reply_mark(
            inquiry=inquiry, channel=ReplyChannel.PHONE,
            confirmed_other_channel=confirmed_other_channel, at=called_at,
        )
        return InquiryEvent.objects.create(
            inquiry=inquiry, kind=InquiryEvent.Kind.PHONE_REPLY, author=author,
            happened_at=called_at, text=summary, against_preference=against_preference,
        )


# Statuses a customer's message takes back to open: staff have something to answer.
REOPENED_BY_CUSTOMER = {Status.WAITING, Status.ANSWERED, Status.CLOSED}


def inquiry_customer_message_add(
    *, inquiry: Inquiry, sender: str, text: str, kept_in_inbox: bool = False
) -> InquiryEvent:
    """The person's mail answering ours, in the timeline as theirs; an inquiry that
    waited for them, was answered or closed is open again (a closed one starts its
    retention period anew when it is closed again)."""
    with transaction.atomic():
        inquiry = inquiry_locked(inquiry)
        event = InquiryEvent.objects.create(
            inquiry=inquiry, kind=InquiryEvent.Kind.CUSTOMER_MESSAGE, sender=sender,
            text=text, kept_in_inbox=kept_in_inbox,
        )
        if inquiry.status in REOPENED_BY_CUSTOMER:
            inquiry_change_status(inquiry=inquiry, status=Status.OPEN, by=None)
    return event


EXPORT_COLUMNS = [
    ("reference", "Reference"),
    ("get_purpose_display", "Form"),
    ("get_topic_display", "Topic"),
    ("category", "Product category"),
    ("get_status_display", "Status"),
    ("collected_at", "Received"),
    ("first_response_due", "First reply due"),
    ("first_responded_at", "First reply"),
    ("name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("get_reply_by_display", "Reply"),
    ("company", "Company"),
    ("order_number", "Order number"),
    ("message", "Message"),
]


def inquiry_export_csv(
    *, inquiries: QuerySet, exported_by: AbstractBaseUser, filters: str, stream: IO[str]
) -> InquiryExport:
    """Write the inquiries as CSV and record who exported how many rows, when (P7)."""
    with transaction.atomic():
        writer = csv.writer(stream)
        writer.writerow([label for _attr, label in EXPORT_COLUMNS])
        rows = 0
        for inquiry in inquiries.order_by("-collected_at"):
            writer.writerow(
                [spreadsheet_safe(getattr(inquiry, attr)) for attr, _label in EXPORT_COLUMNS]
            )
            rows += 1
        staff_access_record(user=exported_by, action=StaffAccess.Action.EXPORT,
                            what=f"{rows} inquiries as CSV")
        return InquiryExport.objects.create(
            exported_by=exported_by, row_count=rows, filters=filters[:500]
        )


def inquiries_purge(*, at: datetime | None = None, dry_run: bool = False) -> int:
    """Erase closed inquiries past their retention period, with their timeline and the
    mail sent about them, through the personal-data registry; the number erased."""
    with transaction.atomic():
        inquiries = Inquiry.objects.past_retention(at).select_for_update()
        inquiry_ids = list(inquiries.values_list("pk", flat=True))
        if dry_run or not inquiry_ids:
            return len(inquiry_ids)
        events = InquiryEvent.objects.filter(inquiry__in=inquiry_ids)
        mail_ids = {
            *events.exclude(mail=None).values_list("mail", flat=True),
            *inquiries.exclude(acknowledgement=None).values_list("acknowledgement", flat=True),
        }
        registry.erase_rows(OutboundMail.objects.filter(pk__in=mail_ids))
        registry.erase_rows(events)
        registry.erase_rows(Inquiry.objects.filter(pk__in=inquiry_ids))
    return len(inquiry_ids)


# --- Escalation: the team hears of what is late, once ---------------------------------


def inquiries_overdue_notify(*, at: datetime | None = None) -> int:
    """Tell each overdue inquiry's team, once, that its first-reply deadline passed;
    how many were told.

    Once across runs and processes: the notice and the inquiry's mark are written in
    one transaction (a crash leaves neither), and each row is taken under a lock that
    another run at the same moment skips (it finds the mark after this commit). An
    inquiry staff are acting on just now is skipped too, and told on the next run if
    it is still late. The notice carries the reference and a link, not the person's
    details or message (docs/decisions.md)."""
    now = at or timezone.now()
    with transaction.atomic():
        late = list(Inquiry.objects.overdue(now).filter(overdue_notified_at=None)
                    .select_related("assigned_to")
                    .select_for_update(skip_locked=True, of=("self",))
                    .order_by("first_response_due"))
        for inquiry in late:
            mail_queue(
                to=inquiry_staff_address(inquiry.purpose),
                subject=f"Overdue: {inquiry.get_purpose_display().lower()} {inquiry.reference}",
                template_name="inquiries/mail/overdue_notice.txt",
                context={"inquiry": inquiry, "admin_path": inquiry_admin_path(inquiry)},
                category=OutboundMail.Category.STAFF_NOTICE,
                purpose=f"inquiry-{inquiry.purpose}-overdue",
            )
        Inquiry.objects.filter(pk__in=[inquiry.pk for inquiry in late]).update(
            overdue_notified_at=now)
    return len(late)


def overdue_digest_send(*, at: datetime | None = None) -> list[OverdueDigest]:
    """Send each form's team the day's list of its overdue inquiries (references, due
    dates, links), at most once a day, from INQUIRY_OVERDUE_DIGEST_HOUR in the staff's
    time zone; nothing when nothing is overdue. The digests sent.

    The day's row (unique per day and form) and its mail commit together: a second
    process waits on the row, then finds it and sends nothing."""
    now = at or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.INQUIRY_OVERDUE_DIGEST_HOUR:
        return []
    sent = []
    for purpose in Form.values:
        with transaction.atomic():
            overdue = list(Inquiry.objects.overdue(now).filter(purpose=purpose)
                           .select_related("assigned_to").order_by("first_response_due"))
            if not overdue:
                continue
            try:
                with transaction.atomic():
                    digest = OverdueDigest.objects.create(
                        day=local.date(), purpose=purpose, inquiry_count=len(overdue))
            except IntegrityError:
                continue  # another run sent today's
            digest.mail = mail_queue(
                to=inquiry_staff_address(purpose),
                subject=f"{len(overdue)} overdue {Form(purpose).label.lower()}"
                f"{'s' if len(overdue) > 1 else ''} on {local:%d %B %Y}",
                template_name="inquiries/mail/overdue_digest.txt",
                context={"overdue": [(inquiry, inquiry_admin_path(inquiry))
                                     for inquiry in overdue], "form": Form(purpose)},
                category=OutboundMail.Category.STAFF_NOTICE,
                purpose=f"inquiry-{purpose}-overdue-digest",
            )
            digest.save(update_fields=["mail"])
            sent.append(digest)
    return sent


# --- The status page: a signed link, mailed only to the inquiry's own address ---------

STATUS_LINK_SALT = "inquiries.status"
STATUS_LINK_PURPOSE = "inquiry-status-link"


def status_link_check(inquiry: Inquiry) -> str:
    """Binds a link to the inquiry's reference and address: a link mailed before a
    correction of the address stops working. Keyed, so the link reveals neither."""
    return salted_hmac(STATUS_LINK_SALT, f"{inquiry.reference}|{inquiry.email}",
                       algorithm="sha256").hexdigest()[:32]


def status_link_token(inquiry: Inquiry) -> str:
    return signing.dumps({"inquiry": inquiry.pk, "check": status_link_check(inquiry)},
                         salt=STATUS_LINK_SALT)


class StatusLinkExpiredError(Exception):
    """A genuine link, older than INQUIRY_STATUS_LINK_HOURS."""


def inquiry_for_status_link(token: str) -> Inquiry | None:
    """The inquiry a status link opens; None for a link we never made, or whose inquiry
    was erased or its address corrected. Raises StatusLinkExpiredError."""
    try:
        payload = signing.loads(token, salt=STATUS_LINK_SALT,
                                max_age=timedelta(hours=settings.INQUIRY_STATUS_LINK_HOURS))
    except signing.SignatureExpired:
        raise StatusLinkExpiredError from None
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("inquiry"), int):
        return None
    inquiry = Inquiry.objects.filter(pk=payload["inquiry"]).first()
    if inquiry is None or not constant_time_compare(str(payload.get("check")),
                                                    status_link_check(inquiry)):
        return None
    return inquiry


def inquiry_status_link_send(*, reference: str, email: str, client_address: str) -> None:
    """Mail the inquiry's status link to its address when the reference and the address
    match; otherwise nothing. Returns nothing: the caller's answer must not depend on it.

    Both paths do the same database work up to the mail (the client's hourly count,
    the address's lock and its window, the lookup of the pair), so only the writing of
    the mail itself can tell them apart, and only by a few milliseconds. The address
    gets at most one link per INQUIRY_STATUS_LINK_WINDOW_HOURS, whoever asks, so the
    form cannot flood an inbox. Raises SubmissionLimitReachedError past the client's
    hourly limit."""
    email = email_canonical(email)
    now = timezone.now()
    submission_count_increment(scope="inquiry-status", client_address=client_address,
                               limit=settings.INQUIRY_STATUS_LIMIT_PER_HOUR, at=now)
    with transaction.atomic():
        recently_sent = confirmation_recently_sent(
            address_hash=email_hash(email),
            # Through the inquiries' address index, not the (unindexed) mail table.
            unused_links=InquiryEvent.objects.filter(kind=InquiryEvent.Kind.STATUS_LINK,
                                                     inquiry__email=email),
            sent_field="happened_at", hours=settings.INQUIRY_STATUS_LINK_WINDOW_HOURS, now=now)
        inquiry = Inquiry.objects.filter(reference=reference, email=email).first()
        if inquiry is None or recently_sent:
            return
        mail = mail_queue(
            to=inquiry.email,
            subject=f"The status of your request {inquiry.reference}",
            template_name="inquiries/mail/status_link.txt",
            context={"inquiry": inquiry, "hours": settings.INQUIRY_STATUS_LINK_HOURS,
                     "link": settings.SITE_URL + reverse(
                         "inquiries:status", args=[status_link_token(inquiry)])},
            category=OutboundMail.Category.REPLY,
            purpose=STATUS_LINK_PURPOSE,
            answers_request_of=inquiry.collected_at,
            headers=inquiry_thread_headers(inquiry),
        )
        # In the timeline: staff see it, the window above counts it, and the purge
        # erases the mail with the inquiry.
        InquiryEvent.objects.create(inquiry=inquiry, kind=InquiryEvent.Kind.STATUS_LINK,
                                    happened_at=now, mail=mail)


# What the person reads on the status page, in their words rather than ours.
STATUS_FOR_CUSTOMER = {
    Status.NEW: ("Received", "We have your request and will answer it soon."),
    Status.OPEN: ("Being handled", "Someone on our team is working on your request."),
    Status.WAITING: ("Answered", "We have replied and are waiting to hear from you: "
                     "answer our mail to continue."),
    Status.ANSWERED: ("Answered", "We have replied. Answer our mail if you need more."),
    Status.CLOSED: ("Closed", "Your request is closed. Answer our last mail or send a new "
                    "request if you need anything else."),
}


def inquiry_replies_sent(inquiry: Inquiry) -> QuerySet:
    """Our replies by email, as the person received them: never a note, a call summary
    or anything else staff wrote for themselves."""
    return inquiry.events.filter(kind=InquiryEvent.Kind.EMAIL_REPLY).exclude(
        mail__status__in=[OutboundMail.Status.SUPPRESSED, OutboundMail.Status.FAILED,
                          OutboundMail.Status.UNDELIVERABLE])

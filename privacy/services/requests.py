"""Privacy requests as services: submitted on the public page, confirmed by a
single-use link, handled by staff through the registry (P6, P8, P10)."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communications.models import OutboundMail
from communications.services import mail_queue
from privacy import registry
from privacy.models import (
    OptOutChannel,
    Person,
    PolicyVersion,
    PrivacyRequest,
    PrivacyRequestEvent,
    StaffAccess,
)
from privacy.models.people import email_hash
from privacy.services.confirmations import (
    confirmation_recently_sent,
    confirmation_token_new,
    token_digest,
    unconfirmed_purge,
)
from privacy.services.copies import copy_token_new
from privacy.services.newsletter import communication_stop, newsletter_unsubscribe
from privacy.services.people import person_for_email, staff_access_record
from roochi_site.email_address import email_canonical
from roochi_site.personal_data import StoreUnavailableError
from roochi_site.submission_limit import submission_count_increment

Kind = PrivacyRequest.Kind
Action = PrivacyRequestEvent.Action


class RequestActionError(Exception):
    """The request is not open, or this action does not fit its kind."""


def privacy_request_submit(
    *, email: str, kind: str, wrong: str = "", should_be: str = "",
    policy_version: PolicyVersion, client_address: str,
) -> PrivacyRequest | None:
    """Store the request unverified and mail its confirmation link; None when the
    address already has an unused link from the last
    PRIVACY_REQUEST_CONFIRMATION_WINDOW_HOURS: then nothing is stored or sent.

    Nobody can have us mail an address without limit (P6, P8): at most one
    confirmation per address in that window, whatever the number of requests, and a
    new one once the earlier link was used; the per-client limit of every public form
    applies too. Nothing here looks at whether we hold data about the address: the
    answer, the work done and the mail sent are the same for everyone, so the page
    cannot tell anyone who our customers are. No person's record is made or changed.
    Raises SubmissionLimitReachedError past the per-client limit.
    """
    email = email_canonical(email)
    token, digest_of_token = confirmation_token_new()
    digest = email_hash(email)
    now = timezone.now()
    # Counted first and committed at once (roochi_site/submission_limit.py): a post
    # over the limit writes nothing else.
    submission_count_increment(scope="privacy-requests", client_address=client_address,
                               limit=settings.PRIVACY_REQUEST_LIMIT_PER_HOUR, at=now)
    # Expired requests of others are not this post's to delete: the hourly
    # purge_privacy_requests does it, and no submission waits on their locks.
    with transaction.atomic():
        if confirmation_recently_sent(
                address_hash=digest,
                unused_links=PrivacyRequest.objects.awaiting_confirmation().filter(
                    email_hash=digest),
                sent_field="collected_at",
                hours=settings.PRIVACY_REQUEST_CONFIRMATION_WINDOW_HOURS, now=now):
            return None
        privacy_request = PrivacyRequest(
            reference=f"PR-{secrets.token_hex(4).upper()}",
            kind=kind,
            email=email,
            email_hash=digest,
            wrong=wrong if kind == Kind.CORRECT else "",
            should_be=should_be if kind == Kind.CORRECT else "",
            token_digest=digest_of_token,
            verify_by=timezone.now() + timedelta(hours=settings.PRIVACY_REQUEST_VERIFY_HOURS),
            policy_version=policy_version,
            purpose="privacy-request",
        )
        # The mail first, so that the request is stored once, pointing at it.
        privacy_request.confirmation_mail = request_mail(
            privacy_request, "verify",
            subject=f"Please confirm your privacy request {privacy_request.reference}",
            link=settings.SITE_URL + reverse("privacy:request_verify", args=[token]),
            hours=settings.PRIVACY_REQUEST_VERIFY_HOURS,
        )
        privacy_request.save(force_insert=True)
        PrivacyRequestEvent.objects.create(request=privacy_request, action=Action.SUBMITTED)
    return privacy_request


def privacy_request_awaiting(*, token: str) -> PrivacyRequest | None:
    """The unverified, unexpired request this link confirms, if any."""
    return PrivacyRequest.objects.filter(
        token_digest=token_digest(token), status=PrivacyRequest.Status.UNVERIFIED,
        verify_by__gte=timezone.now(),
    ).first()


def privacy_request_verify(*, token: str) -> PrivacyRequest | None:
    """Confirm the request this single-use link belongs to; None when the link is
    unknown, used or expired. Choices about mail take effect at once; the rest go to
    the staff queue with their deadline."""
    with transaction.atomic():
        privacy_request = PrivacyRequest.objects.select_for_update().filter(
            pk=getattr(privacy_request_awaiting(token=token), "pk", None)
        ).first()
        if privacy_request is None:
            return None
        now = timezone.now()
        privacy_request.person = person_for_email(email=privacy_request.email)
        privacy_request.status = PrivacyRequest.Status.VERIFIED
        privacy_request.verified_at = now
        privacy_request.due_at = now + timedelta(days=settings.PRIVACY_REQUEST_DEADLINE_DAYS)
        privacy_request.token_digest = ""
        privacy_request.save()
        PrivacyRequestEvent.objects.create(request=privacy_request, action=Action.VERIFIED)
        if privacy_request.kind in PrivacyRequest.SELF_SERVICE:
            preference_apply(privacy_request)
        else:
            request_mail(privacy_request, "verified",
                         subject=f"We received your privacy request {privacy_request.reference}")
            # At once, in the confirmation's transaction: the legal deadline runs from now.
            officer_notice(privacy_request, "officer_confirmed",
                           subject=f"Privacy request {privacy_request.reference} confirmed: "
                           f"due {timezone.localtime(privacy_request.due_at):%d %b %Y}")
    return privacy_request


def officer_notice(privacy_request: PrivacyRequest, step: str, *, subject: str) -> OutboundMail:
    """A notice to the privacy officer: the reference, the kind, the deadline and a
    link to the admin, never the person's address or what they wrote (it passes
    through other mail servers; the admin has the rest and records who looked)."""
    return mail_queue(
        to=settings.PRIVACY_OFFICER_EMAIL,
        subject=subject,
        template_name=f"privacy/requests/mail/{step}.txt",
        context={"privacy_request": privacy_request, "admin_path": reverse(
            "admin:privacy_privacyrequest_change", args=[privacy_request.pk])},
        category=OutboundMail.Category.STAFF_NOTICE,
        purpose=f"privacy-request-{step.replace('_', '-')}",
    )


def deadline_reminder_due(due_at: datetime) -> datetime:
    """When the reminder goes: PRIVACY_REQUEST_REMINDER_DAYS calendar days before the
    deadline, on the staff's wall clock (a week before 17:00 is 17:00, summer time or
    not). The deadline itself is unchanged: calendar days from confirmation."""
    return timezone.localtime(due_at) - timedelta(days=settings.PRIVACY_REQUEST_REMINDER_DAYS)


def privacy_requests_deadline_remind(*, at: datetime | None = None) -> int:
    """Remind the privacy officer, once, of each open request whose deadline is
    PRIVACY_REQUEST_REMINDER_DAYS away; how many. Once across runs and processes: the
    reminder and its mark commit together, and a row another run holds is skipped
    (that run marks it)."""
    now = at or timezone.now()
    # A day's margin for summer time; the exact moment is deadline_reminder_due's.
    horizon = now + timedelta(days=settings.PRIVACY_REQUEST_REMINDER_DAYS + 1)
    with transaction.atomic():
        candidates = PrivacyRequest.objects.filter(
            status=PrivacyRequest.Status.VERIFIED, deadline_reminded_at=None,
            due_at__lte=horizon,
        ).select_for_update(skip_locked=True).order_by("due_at")
        reminded = [privacy_request for privacy_request in candidates
                    if deadline_reminder_due(privacy_request.due_at) <= now]
        for privacy_request in reminded:
            officer_notice(privacy_request, "officer_reminder",
                           subject=f"Privacy request {privacy_request.reference} is due "
                           f"{timezone.localtime(privacy_request.due_at):%d %b %Y}")
        PrivacyRequest.objects.filter(pk__in=[r.pk for r in reminded]).update(
            deadline_reminded_at=now)
    return len(reminded)


def preference_apply(privacy_request: PrivacyRequest) -> None:
    """P6: stop the newsletter, stop everything, or undo a deactivation."""
    if privacy_request.kind == Kind.STOP_NEWSLETTER:
        newsletter_unsubscribe(email=privacy_request.email,
                               channel=OptOutChannel.PRIVACY_REQUEST)
    elif privacy_request.kind == Kind.STOP_ALL:
        communication_stop(email=privacy_request.email, channel=OptOutChannel.PRIVACY_REQUEST)
    else:
        person = Person.objects.select_for_update().get(pk=privacy_request.person_id)
        if person.status != Person.Status.ACTIVE:
            # A person who left (deactivated, or erased: then only the hash was left)
            # comes back with a verified request; their earlier choices about mail stand.
            person.email = privacy_request.email
            person.status = Person.Status.ACTIVE
            person.status_changed_at = timezone.now()
            person.save()
    action = Action.REACTIVATED if privacy_request.kind == Kind.REACTIVATE else Action.OPTED_OUT
    PrivacyRequestEvent.objects.create(request=privacy_request, action=action)
    request_close(privacy_request, by=None)


def privacy_requests_purge_expired(*, dry_run: bool = False) -> dict[str, int]:
    """Unverified requests whose link expired go, with their timeline and the mail that
    carried the link (it holds the address too)."""
    return unconfirmed_purge(PrivacyRequest.objects.expired(), dry_run=dry_run,
                             dependents=((PrivacyRequestEvent, "request"),))


# --- Staff ------------------------------------------------------------------------


def open_request(privacy_request: PrivacyRequest, *kinds: str) -> PrivacyRequest:
    """The request, locked, if it is open (and of one of these kinds)."""
    locked = PrivacyRequest.objects.select_for_update().get(pk=privacy_request.pk)
    if not locked.is_open:
        raise RequestActionError(f"{locked.reference} is {locked.get_status_display()}.")
    if kinds and locked.kind not in kinds:
        raise RequestActionError(
            f"{locked.reference} asks to {locked.get_kind_display().lower()}, not this."
        )
    return locked


def privacy_request_note(*, privacy_request: PrivacyRequest, by, note: str) -> None:
    PrivacyRequestEvent.objects.create(request=privacy_request, action=Action.NOTE,
                                       actor=by, note=note)


def privacy_request_assign(*, privacy_request: PrivacyRequest, by, assignee) -> None:
    with transaction.atomic():
        privacy_request.assigned_to = assignee
        privacy_request.save(update_fields=["assigned_to"])
        PrivacyRequestEvent.objects.create(
            request=privacy_request, action=Action.ASSIGNED, actor=by,
            note=f"To {assignee.get_username()}" if assignee else "Unassigned",
        )


def privacy_request_preview(*, privacy_request: PrivacyRequest, by) -> dict:
    """Everything the registry finds for the person, by app; the look is logged (P7)."""
    with transaction.atomic():
        staff_access_record(user=by, action=StaffAccess.Action.VIEW,
                            what=f"privacy request {privacy_request.reference}: preview",
                            email=privacy_request.email)
        PrivacyRequestEvent.objects.create(request=privacy_request, action=Action.PREVIEWED,
                                           actor=by)
        return registry.records_for(privacy_request.email) if privacy_request.email else {}


def privacy_request_correct(
    *, privacy_request: PrivacyRequest, by, model_label: str, pk: int, field: str, value: str,
) -> None:
    """Apply one correction to one declared field of one of the person's records.
    Invalid values raise ValidationError and change nothing."""
    with transaction.atomic():
        locked = open_request(privacy_request, Kind.CORRECT)
        declaration = next((d for d in registry.declarations() if d.label == model_label), None)
        if declaration is None or field not in declaration.fields:
            raise RequestActionError(f"{model_label}.{field} is not declared personal data.")
        row = declaration.rows_for(locked.email).filter(pk=pk).first()
        if row is None:
            raise RequestActionError(f"{model_label} {pk} does not belong to this person.")
        setattr(row, field, value)
        row.full_clean(exclude=[f.name for f in row._meta.fields if f.name != field],
                       validate_constraints=False)
        row.save(update_fields=[field])
        PrivacyRequestEvent.objects.create(request=locked, action=Action.CORRECTED, actor=by,
                                           note=f"{model_label} {pk}: {field}")


def privacy_request_complete(*, privacy_request: PrivacyRequest, by, note: str = "") -> None:
    """Close a correction once every change is applied; the person is told."""
    with transaction.atomic():
        locked = open_request(privacy_request, Kind.CORRECT)
        if not locked.events.filter(action=Action.CORRECTED).exists():
            raise RequestActionError("Apply the correction first, or refuse with a reason.")
        request_close(locked, by=by, message=note)


def privacy_request_erase(*, privacy_request: PrivacyRequest, by) -> dict[str, int]:
    """P8: erase the person's data in every app through the registry, all or nothing,
    and their messages waiting in the support inbox. The person's own row keeps only
    the hash, so they stay unsubscribed."""
    from privacy.tasks import privacy_request_erasure_finish_task

    with transaction.atomic():
        locked = open_request(privacy_request, Kind.DELETE)
        email = locked.email
        person_for_email(email=email)
        try:
            erased = registry.erase_person(email)
        except StoreUnavailableError as error:
            raise RequestActionError(
                f"{error}, so the erasure was not done. Try again once it can be "
                f"reached.") from error
        locked.refresh_from_db()
        PrivacyRequestEvent.objects.create(
            request=locked, action=Action.ERASED, actor=by,
            note=", ".join(f"{label}: {count}" for label, count in erased.items() if count),
        )
        notice = request_close(locked, by=by, to=email)
        # The notice must carry the address until it is delivered; then it goes too.
        privacy_request_erasure_finish_task.using(priority=-10).enqueue(mail_id=notice.pk)
    return erased


def privacy_request_deactivate(*, privacy_request: PrivacyRequest, by) -> dict[str, int]:
    """P6, P8: stop all use and all contact, through the registry, all or nothing."""
    with transaction.atomic():
        locked = open_request(privacy_request, Kind.DEACTIVATE)
        person_for_email(email=locked.email)
        changed = registry.deactivate_person(locked.email)
        PrivacyRequestEvent.objects.create(request=locked, action=Action.DEACTIVATED, actor=by)
        request_close(locked, by=by)
    return changed


def privacy_request_send_copy(*, privacy_request: PrivacyRequest, by) -> str:
    """Mail the person a signed, expiring link to their copy; the link, for staff."""
    with transaction.atomic():
        locked = open_request(privacy_request, Kind.COPY)
        staff_access_record(user=by, action=StaffAccess.Action.EXPORT,
                            what=f"privacy request {locked.reference}: copy sent",
                            email=locked.email)
        link = settings.SITE_URL + reverse("privacy:request_copy", args=[copy_token_new(locked)])
        PrivacyRequestEvent.objects.create(request=locked, action=Action.COPY_SENT, actor=by)
        request_close(locked, by=by, link=link, days=settings.PRIVACY_COPY_LINK_DAYS)
    return link


def privacy_request_refuse(*, privacy_request: PrivacyRequest, by, reason: str) -> None:
    if not reason.strip():
        raise RequestActionError("Say why the request is refused: the person is told.")
    with transaction.atomic():
        locked = open_request(privacy_request)
        locked.status = PrivacyRequest.Status.REFUSED
        locked.refusal_reason = reason.strip()
        locked.closed_at = timezone.now()
        locked.save()
        PrivacyRequestEvent.objects.create(request=locked, action=Action.REFUSED, actor=by,
                                           note=reason.strip())
        request_mail(locked, "refused",
                     subject=f"Your privacy request {locked.reference} was refused")


def request_close(privacy_request: PrivacyRequest, *, by, to: str = "",
                  **context) -> OutboundMail:
    privacy_request.status = PrivacyRequest.Status.COMPLETED
    privacy_request.closed_at = timezone.now()
    privacy_request.save()
    PrivacyRequestEvent.objects.create(request=privacy_request, action=Action.COMPLETED,
                                       actor=by)
    return request_mail(privacy_request, "completed", to=to,
                        subject=f"Your privacy request {privacy_request.reference} is done",
                        **context)


def request_mail(privacy_request: PrivacyRequest, step: str, *, subject: str, to: str = "",
                 **context) -> OutboundMail:
    return mail_queue(
        to=to or privacy_request.email,
        subject=subject,
        template_name=f"privacy/requests/mail/{step}.txt",
        context={"privacy_request": privacy_request, **context},
        category=OutboundMail.Category.PRIVACY_REQUEST,
        purpose=f"privacy-request-{step}",
    )


def privacy_request_erasure_finish(*, mail_id: int) -> bool:
    """P8: the notice that an erasure is done carries the address until it is
    delivered; then everything under that address is erased once more, the notice
    included. False while the notice still waits to be sent (the task comes back)."""
    mail = OutboundMail.objects.filter(pk=mail_id).first()
    if mail is None:
        return True
    if mail.status == OutboundMail.Status.QUEUED:
        return False
    registry.erase_person(mail.to, outside_stores_too=False)
    return True

"""Staff send a test of a mailing to themselves, then send it to its audience."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from communications.content import MailContent
from communications.mailings import mailing_start
from communications.models import Mailing, OutboundMail
from communications.services import mail_row, mails_store
from mailings.models import StaffMailing

MailContentOf = Callable[[StaffMailing, str], MailContent]


def staff_mailing_test_send(*, item: StaffMailing, user: AbstractBaseUser,
                            content: MailContentOf) -> OutboundMail:
    """The mail exactly as a recipient gets it, to the staff member's own address. A
    notice to our staff, so the rule lets it through; no part of the mailing's
    figures."""
    if not user.email:
        raise ValidationError(
            "Your staff account has no email address, so the test has nowhere to go. Add "
            "one to your account (Authentication, Users) and send the test again.",
            code="no_staff_address")
    mail = content(item, user.email)
    test = MailContent(subject=f"[Test] {mail.subject}", text=mail.text, html=mail.html,
                       headers=mail.headers)
    with transaction.atomic():
        [stored] = mails_store([mail_row(to=user.email, content=test,
                                         category=OutboundMail.Category.STAFF_NOTICE,
                                         purpose=f"{item.kind}-test")])
    return stored


def staff_mailing_send(*, item: StaffMailing, user: AbstractBaseUser) -> Mailing:
    """Start the mailing; the task worker writes one mail per recipient and sends them.
    A mailing is sent once: a second send (another tab, a double click) is refused."""
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        if locked.is_sent:
            raise ValidationError(
                f"This {locked._meta.verbose_name} was already sent; it cannot be sent again.",
                code="already_sent")
        locked.mailing = mailing_start(kind=locked.kind)
        locked.sent_by = user
        locked.save(update_fields=["mailing", "sent_by"])
    item.mailing, item.sent_by = locked.mailing, locked.sent_by
    return locked.mailing

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from communications.models import OutboundMail
from privacy import registry


@task
def erasure_finish(mail_id: int) -> None:
    """P8: the notice that an erasure is done carries the address until it is
    delivered; then everything under that address is erased once more, the notice
    included. It runs after the delivery task (lower priority); when the mail server
    is down it waits for the retries."""
    mail = OutboundMail.objects.filter(pk=mail_id).first()
    if mail is None:
        return
    if mail.status == OutboundMail.Status.QUEUED:
        erasure_finish.using(priority=-10, run_after=timezone.now() + timedelta(minutes=10)
                             ).enqueue(mail_id=mail_id)
        return
    registry.erase_person(mail.to)

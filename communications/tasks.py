from django.tasks import task

from communications.mailings import mailing_prepare
from communications.services import mails_deliver


@task
def mails_deliver_task(mail_ids: list[int]) -> None:
    mails_deliver(mail_ids=mail_ids)


@task
def mailing_prepare_task(mailing_id: int) -> None:
    mailing_prepare(mailing_id=mailing_id)

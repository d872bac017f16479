from django.tasks import task

from communications.mailings import mailing_prepare
from communications.services import mail_deliver


@task
def mail_deliver_task(mail_id: int) -> None:
    mail_deliver(mail_id=mail_id)


@task
def mailing_prepare_task(mailing_id: int) -> None:
    mailing_prepare(mailing_id=mailing_id)

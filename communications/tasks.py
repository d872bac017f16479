from django.tasks import task

from communications.services import mail_deliver


@task
def mail_deliver_task(mail_id: int) -> None:
    mail_deliver(mail_id=mail_id)

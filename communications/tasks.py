from django.tasks import task

from communications.services import mail_deliver


@task
def deliver_mail(mail_id: int) -> None:
    mail_deliver(mail_id=mail_id)

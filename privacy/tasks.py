from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from privacy.services.requests import privacy_request_erasure_finish


@task
def privacy_request_erasure_finish_task(mail_id: int) -> None:
    """Runs after the notice's delivery task (lower priority); while the mail server is
    down it comes back every ten minutes, until the notice is sent or given up."""
    if not privacy_request_erasure_finish(mail_id=mail_id):
        privacy_request_erasure_finish_task.using(
            priority=-10, run_after=timezone.now() + timedelta(minutes=10)
        ).enqueue(mail_id=mail_id)

from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = "Mail"

    def ready(self):
        from communications import checks  # noqa: F401 (registers the deploy check)
        from communications.health import outbox_backlog_check, worker_heartbeat_check
        from communications.task_recovery import recoverable_task_register
        from communications.tasks import mailing_prepare_task
        from roochi_site.health import health_check_register

        # A preparation cut off by its worker goes on from the mails already written.
        recoverable_task_register(mailing_prepare_task)
        health_check_register("task_worker", worker_heartbeat_check)
        health_check_register("outbox", outbox_backlog_check)

"""Deliveries queued before a task could deliver several mails (one task per mail,
``mail_deliver_task(mail_id)``) are rewritten as the task that replaced it, so that a
worker of the new code takes them up and the recovery finds them."""

from django.db import migrations

OLD = "communications.tasks.mail_deliver_task"
NEW = "communications.tasks.mails_deliver_task"


def tasks_rename(apps, schema_editor, *, old, new, arguments):
    task_results = apps.get_model("django_tasks_database", "DBTaskResult")
    for result in task_results.objects.filter(task_path=old):
        result.task_path = new
        result.args_kwargs = {**result.args_kwargs,
                              "kwargs": arguments(result.args_kwargs.get("kwargs", {}))}
        result.save(update_fields=["task_path", "args_kwargs"])


def forwards(apps, schema_editor):
    tasks_rename(apps, schema_editor, old=OLD, new=NEW,
                 arguments=lambda kwargs: {"mail_ids": [kwargs["mail_id"]]})


def backwards(apps, schema_editor):
    # The old task delivered one mail: a task of several keeps its first, and the old
    # recovery, which then finds no task for the others, queues them one by one.
    tasks_rename(apps, schema_editor, old=NEW, new=OLD,
                 arguments=lambda kwargs: {"mail_id": kwargs["mail_ids"][0]})


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0005_worker_heartbeat"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

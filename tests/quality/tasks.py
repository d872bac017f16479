"""A task whose queued results fill the admin's task list in the query budget test."""

from django.tasks import task


@task
def admin_list_probe() -> None:
    """Does nothing: only its queued result rows are needed."""

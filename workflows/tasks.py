"""The scheduled jobs as django-tasks tasks (the same code as `manage.py run_scheduled`)."""

from django_tasks import task

from workflows import scheduled


@task()
def run_scheduled_task() -> dict:
    """Distribute signed circulars whose time has come, then close overdue ones."""
    return scheduled.run_scheduled().as_dict()


@task()
def close_overdue_task() -> dict:
    """Close distributed circulars whose response deadline has passed."""
    return scheduled.close_overdue().as_dict()

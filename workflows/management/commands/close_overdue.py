"""Close distributed circulars whose response deadline has passed (for cron; idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.scheduled import close_overdue


class Command(BaseCommand):
    help = "Close distributed circulars whose response deadline has passed."

    def handle(self, *args, **options):
        report = close_overdue()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            _("%(closed)d closed, %(failed)d failed.")
            % {"closed": len(report.closed), "failed": len(report.failed)}
        )
        if report.failed:
            raise CommandError(
                _("%(failed)d circular(s) could not be moved; see above.")
                % {"failed": len(report.failed)}
            )

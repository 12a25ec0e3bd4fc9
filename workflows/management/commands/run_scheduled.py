"""Distribute signed circulars whose time has come, then close overdue ones (for cron)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.scheduled import run_scheduled


class Command(BaseCommand):
    help = (
        "Distribute signed circulars whose scheduled time has passed, then close distributed "
        "circulars whose response deadline has passed."
    )

    def handle(self, *args, **options):
        report = run_scheduled()
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            _("%(distributed)d distributed, %(closed)d closed, %(failed)d failed.")
            % {
                "distributed": len(report.distributed),
                "closed": len(report.closed),
                "failed": len(report.failed),
            }
        )
        if report.failed:
            raise CommandError(
                _("%(failed)d circular(s) could not be moved; see above.")
                % {"failed": len(report.failed)}
            )

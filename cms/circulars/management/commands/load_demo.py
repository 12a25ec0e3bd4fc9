import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.circulars.importing.importer import CircularImporter
from cms.circulars.importing.sources import read_records
from cms.circulars.site_setup import ensure_archive
from cms.organisations.demo_units import ensure_demo_units

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "circulars.jsonl"


class Command(BaseCommand):
    help = _(
        "Load the demo units and circulars and make sure an administrator exists. Safe to rerun."
    )

    def handle(self, *args, **options):
        archive = ensure_archive()
        units = ensure_demo_units()
        summary = CircularImporter(archive).run(read_records([DEMO_FILE]))
        from workflows.demo import DEMO_PASSWORD, ensure_demo_people, ensure_workflow_circulars

        people = ensure_demo_people()
        made = ensure_workflow_circulars(archive, people)
        for problem in summary.errors:
            self.stderr.write(f"{problem.origin}: {problem.message}")
        username = os.environ.get("WIAN_ADMIN_USER", "admin")
        password = os.environ.get("WIAN_ADMIN_PASSWORD", "wian-admin")
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username=username, defaults={"email": "admin@example.go.th", "first_name": "ผู้ดูแลระบบ"}
        )
        if created:
            admin.is_staff = admin.is_superuser = True
            admin.set_password(password)
            admin.save()
        counts = summary.counts
        self.stdout.write(
            _(
                "Demo: %(units)d units, %(circulars)d circulars (%(created)d new), %(linked)d references linked."
            )
            % {
                "units": units,
                "circulars": counts["read"] - summary.failed,
                "created": counts["created"],
                "linked": counts["linked"],
            }
        )
        self.stdout.write(
            _("Workflow demo: %(count)d new circulars; users %(users)s, password “%(password)s”.")
            % {"count": made, "users": ", ".join(people), "password": DEMO_PASSWORD}
        )
        if created:
            self.stdout.write(
                _(
                    "Administrator created: log in at /admin/ as “%(user)s” with password “%(password)s”."
                )
                % {"user": username, "password": password}
            )
        else:
            self.stdout.write(
                _("Administrator “%(user)s” already exists (password unchanged).")
                % {"user": username}
            )

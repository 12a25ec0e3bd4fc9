from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.organisations.local_organisations import generate_local_organisations


class Command(BaseCommand):
    help = _("Create synthetic local administrative organisations (deterministic, safe to rerun).")

    def add_arguments(self, parser):
        parser.add_argument("--per-province", type=int, default=None)
        parser.add_argument("--total", type=int, default=7850)

    def handle(self, *args, **options):
        made = generate_local_organisations(
            per_province=options["per_province"], total=options["total"]
        )
        self.stdout.write(_("%(count)d local administrative organisations.") % {"count": len(made)})

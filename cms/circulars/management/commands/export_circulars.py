import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.circulars.importing.interchange import page_to_record
from cms.circulars.models import CircularPage


class Command(BaseCommand):
    help = _("Write the whole archive as JSON Lines (to standard output unless --output).")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE")

    def handle(self, *args, **options):
        pages = (
            CircularPage.objects.order_by("issued_on", "pk")
            .select_related("owner_unit")
            .prefetch_related("references__target", "enclosures", "tagged_items__tag")
        )
        handle = (
            open(options["output"], "w", encoding="utf-8") if options["output"] else self.stdout
        )
        count = 0
        try:
            for page in pages.iterator(chunk_size=500):
                handle.write(json.dumps(page_to_record(page), ensure_ascii=False) + "\n")
                count += 1
        finally:
            if options["output"]:
                handle.close()
        if options["output"]:
            self.stderr.write(
                _("%(count)d circulars written to %(file)s")
                % {"count": count, "file": options["output"]}
            )

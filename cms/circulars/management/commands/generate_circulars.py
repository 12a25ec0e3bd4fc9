from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.circulars.demo.synthetic import synthetic_records, write_jsonl
from cms.circulars.importing.importer import CircularImporter
from cms.circulars.importing.sources import SourceRecord
from cms.circulars.site_setup import ensure_archive


class Command(BaseCommand):
    help = _(
        "Generate synthetic circulars (for benchmarks): into the archive or into a JSONL file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--output", metavar="FILE", help=_("Write JSONL instead of importing."))
        parser.add_argument("--no-index", action="store_true")

    def handle(self, *args, **options):
        count, seed = options["count"], options["seed"]
        if options["output"]:
            write_jsonl(Path(options["output"]), count, seed=seed)
            self.stdout.write(
                _("%(count)d circulars written to %(file)s")
                % {"count": count, "file": options["output"]}
            )
            return
        importer = CircularImporter(ensure_archive(), index=not options["no_index"])
        records = (
            SourceRecord(f"synthetic:{n}", record)
            for n, record in enumerate(synthetic_records(count, seed=seed))
        )
        summary = importer.run(records)
        self.stdout.write(
            _("%(created)d created, %(updated)d updated, %(failed)d failed")
            % {
                "created": summary.counts["created"],
                "updated": summary.counts["updated"] + summary.counts["unchanged"],
                "failed": summary.failed,
            }
        )

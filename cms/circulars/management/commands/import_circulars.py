import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.circulars.importing.importer import CircularImporter
from cms.circulars.importing.sources import count_records, expand_paths, read_records
from cms.circulars.site_setup import ensure_archive


class Command(BaseCommand):
    help = _("Import circulars from raw letter text files and/or JSON Lines files.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help=_("Files or folders (.txt letters, .jsonl)"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check everything, save nothing.")
        )
        parser.add_argument(
            "--no-index", action="store_true", help=_("Do not update the search index per record.")
        )
        parser.add_argument(
            "--errors",
            metavar="FILE",
            help=_("Write every failed record (JSONL) to FILE to fix and retry."),
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        paths = expand_paths(options["paths"])
        if not paths:
            raise CommandError(_("No files to import."))
        total = count_records(paths)
        archive = ensure_archive()
        importer = CircularImporter(
            archive, dry_run=options["dry_run"], index=not options["no_index"]
        )
        started = time.perf_counter()
        progress = tqdm(
            total=total,
            unit=_("records"),
            file=sys.stderr,
            disable=options["no_progress"] or options["verbosity"] == 0,
        )
        with progress:
            summary = importer.run(read_records(paths), progress=progress)
        elapsed = time.perf_counter() - started
        self.report(summary, elapsed, options)
        if summary.failed:
            raise CommandError(
                _("%(count)d record(s) could not be imported; see the errors above.")
                % {"count": summary.failed}
            )

    def report(self, summary, elapsed, options):
        counts = summary.counts
        rate = counts["read"] / elapsed if elapsed else 0.0
        for problem in summary.warnings:
            self.stderr.write(_("warning: %(origin)s: %(message)s") % problem.__dict__)
        for problem in summary.errors:
            self.stderr.write(
                self.style.ERROR(_("error: %(origin)s: %(message)s") % problem.__dict__)
            )
        if options.get("errors") and summary.errors:
            with open(options["errors"], "w", encoding="utf-8") as handle:
                for problem in summary.errors:
                    handle.write(
                        json.dumps(
                            {
                                "origin": problem.origin,
                                "error": problem.message,
                                "raw": problem.raw,
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
        prefix = _("[dry run] ") if options["dry_run"] else ""
        self.stdout.write(
            prefix
            + _(
                "read %(read)d, created %(created)d, updated %(updated)d, unchanged %(unchanged)d, "
                "failed %(failed)d, warnings %(warnings)d, references linked %(linked)d "
                "in %(seconds).1f s (%(rate).0f records/s)"
            )
            % {
                "read": counts["read"],
                "created": counts["created"],
                "updated": counts["updated"],
                "unchanged": counts["unchanged"],
                "failed": summary.failed,
                "warnings": len(summary.warnings),
                "linked": counts["linked"],
                "seconds": elapsed,
                "rate": rate,
            }
        )

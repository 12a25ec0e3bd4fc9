import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm


class Command(BaseCommand):
    help = _("Rebuild the search index, or show its status.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status"])
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("processes building documents beside the writer (0: none; default: cores - 1)"),
        )

    def handle(self, *args, **options):
        from cms.circulars.models import CircularPage
        from search.indexing import rebuild
        from search.service import get_backend

        backend = get_backend()
        if options["action"] == "rebuild":
            total = CircularPage.objects.count()
            with tqdm(total=total, file=sys.stderr, disable=options["no_progress"]) as progress:
                count = rebuild(backend, progress=progress, workers=options["workers"])
            self.stdout.write(
                _("%(count)d circulars indexed (%(backend)s).")
                % {"count": count, "backend": backend.name}
            )
            return
        indexed = backend.indexed_ids()
        circulars = set(CircularPage.objects.values_list("pk", flat=True))
        size = backend.size_bytes()
        self.stdout.write(_("backend: %(name)s") % {"name": backend.name})
        self.stdout.write(
            _("indexed: %(n)d of %(total)d circulars")
            % {"n": len(indexed & circulars), "total": len(circulars)}
        )
        missing, stale = circulars - indexed, indexed - circulars
        self.stdout.write(_("missing: %(m)d, stale: %(s)d") % {"m": len(missing), "s": len(stale)})
        if size is not None:
            self.stdout.write(_("size on disk: %(mb).1f MB") % {"mb": size / 1e6})
        words_current = getattr(backend, "words_current", None)
        if words_current is not None:
            self.stdout.write(
                _("word postings: up to date")
                if words_current()
                else _(
                    "word postings: built with another dictionary, or not yet (searches read "
                    "the substring index instead, more slowly): run `search_index rebuild`"
                )
            )
        if missing or stale:
            raise CommandError(_("The index is out of date: run `search_index rebuild`."))

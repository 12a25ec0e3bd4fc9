import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def read_batch(path: Path) -> list[tuple[str, str]]:
    """(qid, query) pairs from the evaluation TSV (qid, kind, query, ...) or one query a line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].split("\t")[:3] == ["qid", "kind", "query"]:
        return [(c[0], c[2]) for c in (line.split("\t") for line in lines[1:]) if len(c) >= 3]
    return [(str(n), line.strip()) for n, line in enumerate(lines, 1) if line.strip()]


class Command(BaseCommand):
    help = _("Search the archive from the command line, one query or a batch file.")

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--batch", metavar="FILE")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--user", help=_("search as this user (default: anonymous)"))

    def handle(self, *args, **options):
        from search.service import search

        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No such user: %(u)s") % {"u": options["user"]})
        if options["batch"]:
            queries = read_batch(Path(options["batch"]))
        elif options["query"]:
            queries = [("1", options["query"])]
        else:
            raise CommandError(_("Give a query or --batch FILE."))
        for qid, text in queries:
            outcome = search(text, user, per_page=options["limit"], facets=False, snippets=False)
            hits = [
                {
                    "source_id": h.circular.source_id,
                    "doc_number": h.circular.doc_number,
                    "url": h.circular.url,
                    "score": round(h.score, 4),
                }
                for h in outcome.hits
            ]
            if options["json"] or options["batch"]:
                line = {
                    "qid": qid,
                    "query": text,
                    "hits": hits,
                    "took_ms": round(outcome.took_ms, 2),
                }
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            else:
                self.stdout.write(
                    _("%(total)d found in %(ms).1f ms")
                    % {"total": outcome.result.total, "ms": outcome.took_ms}
                )
                for n, hit in enumerate(outcome.hits, 1):
                    self.stdout.write(
                        f"{n:>3}. {hit.circular.doc_number or '-'}  {hit.circular.subject[:100]}"
                    )

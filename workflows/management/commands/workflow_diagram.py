"""Print or write the workflow diagram generated from workflows.machine and workflows.permissions.

python manage.py workflow_diagram                          # Mermaid text on stdout
python manage.py workflow_diagram --format svg --output workflow.svg
python manage.py workflow_diagram --output docs/WORKFLOW.md  # the Markdown document
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from workflows import diagram

FORMATS = {"mermaid": diagram.mermaid, "svg": diagram.svg, "markdown": diagram.markdown}
SUFFIXES = {".svg": "svg", ".md": "markdown", ".mmd": "mermaid"}


class Command(BaseCommand):
    help = "Print the circular workflow (Mermaid, SVG or Markdown) generated from the code."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="mermaid, svg or markdown; by default taken from --output's suffix, else mermaid",
        )
        parser.add_argument("--output", help="write to this file instead of stdout")
        parser.add_argument("--language", default="en", help="language of the labels (default: en)")

    def handle(self, *args, **options):
        output = options["output"]
        name = options["format"]
        if name is None:
            name = SUFFIXES.get(Path(output).suffix.lower(), "mermaid") if output else "mermaid"
        with translation.override(options["language"]):
            text = FORMATS[name]()
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"{output}: {name}, {len(text)} characters")

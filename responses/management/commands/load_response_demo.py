from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from responses.demo import ensure_demo_forms


class Command(BaseCommand):
    help = _("Load the demo response forms (after load_demo). Safe to rerun.")

    def handle(self, *args, **options):
        made = ensure_demo_forms()
        for form in made["forms"].values():
            self.stdout.write(f"{form.title}: {form.url}")
        self.stdout.write(
            _("Answer as officer-bkk or officer-cmi (provinces) or %(user)s (%(organisation)s).")
            % {"user": made["local_user"].username, "organisation": made["local_organisation"]}
        )

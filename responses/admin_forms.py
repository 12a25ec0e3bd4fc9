"""The response form page's editing form: the deadline is typed in the Buddhist era."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from cms.thai.formfields import ThaiDateField


class ResponseFormPageForm(WagtailAdminPageForm):
    deadline = ThaiDateField(
        required=False,
        label=_("deadline"),
        help_text=_("Leave empty to follow the circular's reply deadline."),
    )

"""The receipt (ลงรับ) form on the circular's public page, for officers of addressed provinces."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.thai.formfields import ThaiDateField


class ReceiptForm(forms.Form):
    receive_number = forms.CharField(
        label=_("Receive number (เลขรับ)"),
        max_length=50,
        help_text=_("The number in your province's register of received letters."),
    )
    receive_date = ThaiDateField(label=_("Receive date"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"receive_date": timezone.localdate()})
        super().__init__(*args, **kwargs)

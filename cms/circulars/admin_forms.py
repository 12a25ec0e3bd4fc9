"""The circular's editing form: Thai dates in, Buddhist-era years handled, numbers checked."""

from wagtail.admin.forms import WagtailAdminPageForm

from cms.thai.formfields import ThaiDateField, ThaiPartialDateField


class CircularPageForm(WagtailAdminPageForm):
    issued_on = ThaiPartialDateField(required=False)
    response_deadline = ThaiDateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if page.pk and page.issued_on and "issued_on" in self.fields:
            self.initial["issued_on"] = page.issued

    def clean(self):
        cleaned = super().clean()
        issued = cleaned.get("issued_on")
        if issued is not None:
            cleaned["issued_on"] = issued.to_date()
            self.instance.issued_on_month_only = issued.is_month_only
        elif "issued_on" in cleaned:
            self.instance.issued_on_month_only = False
        return cleaned

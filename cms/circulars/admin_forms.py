"""The circular's editing form: Thai dates in, Buddhist-era years handled, numbers checked."""

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from cms.thai.formfields import ThaiDateField, ThaiPartialDateField


class CircularPageForm(WagtailAdminPageForm):
    issued_on = ThaiPartialDateField(required=False)
    response_deadline = ThaiDateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if page.pk and page.issued_on and "issued_on" in self.fields:
            self.initial["issued_on"] = page.issued
        if "slug" in self.fields:
            # Left empty, the address is made from the number and year (2564-0812-271).
            self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        issued = cleaned.get("issued_on")
        if issued is not None:
            cleaned["issued_on"] = issued.to_date()
            self.instance.issued_on_month_only = issued.is_month_only
        elif "issued_on" in cleaned:
            self.instance.issued_on_month_only = False
        if "slug" in self.fields and not cleaned.get("slug"):
            cleaned["slug"] = self._default_slug(cleaned)
        return cleaned

    def _default_slug(self, cleaned: dict) -> str:
        probe = type(self.instance)(
            subject=cleaned.get("subject") or "",
            doc_number=cleaned.get("doc_number") or "",
            issued_on=cleaned.get("issued_on"),
            source_id=cleaned.get("source_id") or None,
        )
        probe.sync_derived_fields()
        slug, n = probe.slug, 1
        while self.parent_page and not Page._slug_is_available(
            slug, self.parent_page, self.instance
        ):
            n += 1
            slug = f"{probe.slug}-{n}"
        return slug

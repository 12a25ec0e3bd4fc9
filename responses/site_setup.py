"""The /forms/ index page under the home page, made once (idempotent)."""

from django.db import transaction
from django.utils.translation import gettext as _

from responses.models import ResponseFormIndexPage


@transaction.atomic
def ensure_forms_index() -> ResponseFormIndexPage:
    """Return the forms index, creating it (and the home page, through the archive) if needed."""
    index = ResponseFormIndexPage.objects.first()
    if index is not None:
        return index
    from cms.circulars.site_setup import ensure_archive
    from home.models import HomePage

    ensure_archive()
    home = HomePage.objects.first()
    index = home.add_child(
        instance=ResponseFormIndexPage(
            title=_("Response forms"),
            slug="forms",
            intro="<p>แบบรายงานที่จังหวัดและองค์กรปกครองส่วนท้องถิ่นตอบกลับตามหนังสือเวียน</p>",
        )
    )
    return index

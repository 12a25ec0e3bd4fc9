"""The page tree a fresh installation needs: home page, then the archive beneath it."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.circulars.models import CircularIndexPage


@transaction.atomic
def ensure_archive() -> CircularIndexPage:
    """Return the archive page, creating the home page, archive and site on first use."""
    archive = CircularIndexPage.objects.first()
    if archive is not None:
        return archive
    from home.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a placeholder "Welcome" page as the site root.
        for placeholder in root.get_children().exact_type(Page):
            if placeholder.slug == "home":
                placeholder.delete()
        root.refresh_from_db()
        home = root.add_child(
            instance=HomePage(
                title="เวียน · หนังสือเวียนกรมส่งเสริมการปกครองท้องถิ่น",
                slug="home",
                intro="<p>คลังหนังสือเวียนของกรมส่งเสริมการปกครองท้องถิ่น ค้นได้ อ่านได้ ในรูปแบบหนังสือราชการ</p>",
            )
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Wian"},
        )
    archive = home.add_child(
        instance=CircularIndexPage(
            title=_("Circulars"), slug="circulars", intro="<p>หนังสือเวียนทั้งหมด เรียงจากใหม่ไปเก่า</p>"
        )
    )
    return archive

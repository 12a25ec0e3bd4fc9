from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.organisations.models import LocalOrganisation, Membership, Province, Unit


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    list_display = ["code", "name", "kind", "phone"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class ProvinceViewSet(SnippetViewSet):
    model = Province
    icon = "site"
    menu_label = _("Provinces")
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["name_th", "name_en"]
    list_per_page = 100


class LocalOrganisationViewSet(SnippetViewSet):
    model = LocalOrganisation
    icon = "home"
    menu_label = _("Local administrative organisations")
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name"]
    list_per_page = 100


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "unit", "province", "local_organisation"]
    list_filter = ["unit", "province"]


class OrganisationViewSetGroup(SnippetViewSetGroup):
    items = (UnitViewSet, ProvinceViewSet, LocalOrganisationViewSet, MembershipViewSet)
    menu_icon = "group"
    menu_label = _("Organisations")
    menu_name = "organisations"


register_snippet(OrganisationViewSetGroup)

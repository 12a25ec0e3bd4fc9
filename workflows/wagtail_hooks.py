"""The workflow in Wagtail's admin: URLs, menus, buttons, dashboard panels, snippets, and the
filters that keep every admin listing and chooser inside the permission table."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.circulars.models import CircularIndexPage, CircularPage
from workflows import admin_urls, admin_views, permissions
from workflows import roles as R
from workflows.models import Delegation, EndorsementStep, RegisterEntry

MENU_HOOK = "register_wian_menu_item"


@hooks.register("register_admin_urls")
def register_workflow_urls():
    return [path("wian/", include((admin_urls, "wian_admin"), namespace="wian_admin"))]


# -- every admin listing and chooser asks the table ----------------------------------------------


def visible_pages(pages, user):
    """`pages` without the circulars `user` may not view (other page types untouched)."""
    visible = CircularPage.objects.filter(permissions.visible_q(user)).values("pk")
    return pages.filter(~Q(content_type=_circular_type()) | Q(pk__in=visible))


def _circular_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(CircularPage)


class CircularAwarePagePolicy(PagePermissionPolicy):
    """Wagtail's page policy without the circulars the table hides from the user.

    Wagtail filters its page search, the explorer, the admin API and the site-history report
    through `explorable_instances`; the page search (/admin/pages/search/) calls no hook."""

    def explorable_instances(self, user):
        return visible_pages(super().explorable_instances(user), user)


# Registered at import, before anything asks the registry for Page's policy.
register_permission_policy(Page, CircularAwarePagePolicy(Page))


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_visible_circulars(parent_page, pages, request):
    return visible_pages(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_visible_circulars(pages, request):
    return visible_pages(pages, request.user)


# -- the way to a circular's workflow page ----------------------------------------------------


def _is_circular(page) -> bool:
    specific_class = getattr(page, "specific_class", None) or type(page)
    return issubclass(specific_class, CircularPage)


class WorkflowPageButton(PageMenuItem):
    label = gettext_lazy("Workflow")
    icon_name = "tasks"
    url_name = "wian_admin:circular"

    def is_shown(self, user):
        return _is_circular(self.page)


@hooks.register("register_page_listing_buttons")
def workflow_listing_button(page, user, next_url=None):
    yield WorkflowPageButton(page=page, priority=5)


@hooks.register("register_page_header_buttons")
def workflow_header_button(page, user, view_name, next_url=None):
    yield WorkflowPageButton(page=page, priority=5)


class WorkflowActionMenuItem(ActionMenuItem):
    label = gettext_lazy("Workflow: endorse, sign, distribute…")
    name = "action-wian-workflow"
    icon_name = "tasks"
    order = 900

    def is_shown(self, context):
        return context.get("view") == "edit" and _is_circular(context.get("page"))

    def get_url(self, parent_context):
        return reverse("wian_admin:circular", args=[parent_context["page"].pk])


# Publishing belongs to the machine (distribute); Wagtail's own moderation is switched off.
_MACHINE_ONLY = {"action-publish", "action-unpublish", "action-submit"}


def _menu_is_for_circular(context) -> bool:
    if context.get("page") is not None:
        return _is_circular(context["page"])
    parent = context.get("parent_page")
    return parent is not None and isinstance(parent.specific, CircularIndexPage)


@hooks.register("construct_page_action_menu")
def circulars_are_never_published_by_hand(menu_items, request, context):
    if not _menu_is_for_circular(context):
        return
    menu_items[:] = [item for item in menu_items if item.name not in _MACHINE_ONLY]
    item = WorkflowActionMenuItem()
    if item.is_shown(context):
        menu_items.append(item)


@hooks.register("before_create_page")
def refuse_publishing_a_new_circular(request, parent_page, page_class):
    if (
        request.method == "POST"
        and issubclass(page_class, CircularPage)
        and request.POST.get("action-publish")
    ):
        raise PermissionDenied


# -- dashboard and inbox ----------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def workflow_dashboard_panels(request, panels):
    panels[:0] = [panel(request) for panel in admin_views.DASHBOARD_PANELS]


class InboxMenuItem(MenuItem):
    """The inbox, with the number of unread notifications in its label (one count query)."""

    def render_component(self, request):
        # Menu items are shared between requests: build the label per request, never store it.
        count = admin_views.unread_count(request.user)
        label = _("Inbox (%(count)d)") % {"count": count} if count else _("Inbox")
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("register_admin_menu_item")
def inbox_menu_item():
    return InboxMenuItem(
        gettext_lazy("Inbox"),
        reverse("wian_admin:inbox"),
        name="wian-inbox",
        icon_name="mail",
        order=150,
    )


@hooks.register(MENU_HOOK)
def workflow_diagram_menu_item():
    return MenuItem(
        gettext_lazy("Workflow and permissions"),
        reverse("wian_admin:workflow"),
        name="wian-workflow",
        icon_name="tasks",
        order=900,
    )


# -- snippets: endorsement chains, delegations, the register -----------------------------------


class RegisterEntryPolicy(ModelPermissionPolicy):
    """The register is written by signing alone: administrators and registrars may read it."""

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_active:
            return False
        if user.is_superuser or R.user_groups(user) & {R.ADMINISTRATOR, R.REGISTRAR}:
            return True
        return super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        if "view" not in actions:
            return get_user_model().objects.none()
        names = [R.GROUPS[R.ADMINISTRATOR], R.GROUPS[R.REGISTRAR]]
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name__in=names))
            .distinct()
        )


register_permission_policy(RegisterEntry, RegisterEntryPolicy(RegisterEntry))


class EndorsementStepViewSet(SnippetViewSet):
    model = EndorsementStep
    icon = "list-ol"
    menu_label = gettext_lazy("Endorsement chains")
    list_display = ["unit", "order", "title", "endorser", "endorser_unit"]
    list_filter = ["unit"]


class DelegationViewSet(SnippetViewSet):
    model = Delegation
    icon = "user"
    menu_label = gettext_lazy("Delegations")
    list_display = ["delegate", "signatory", "unit", "position", "valid_from", "valid_until"]
    list_filter = ["unit"]


class RegisterEntryViewSet(SnippetViewSet):
    model = RegisterEntry
    icon = "list-ul"
    menu_label = gettext_lazy("Circular register")
    list_display = [
        "unit",
        "be_year",
        "number",
        "circular",
        BooleanColumn("cancelled", label=gettext_lazy("Cancelled (ยกเลิก)")),
    ]
    list_filter = ["unit", "be_year", "cancelled"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        # The register names circulars; only those the user may view are listed.
        visible = CircularPage.objects.filter(permissions.visible_q(request.user)).values("pk")
        return (
            RegisterEntry.objects.filter(circular_id__in=visible)
            .select_related("unit", "circular")
            .order_by("unit__code", "-be_year", "-number")
        )


class WorkflowViewSetGroup(SnippetViewSetGroup):
    items = (EndorsementStepViewSet, DelegationViewSet, RegisterEntryViewSet)
    menu_icon = "tasks"
    menu_label = gettext_lazy("Circulation")
    menu_name = "wian"
    menu_order = 160
    submenu_hook = MENU_HOOK


register_snippet(WorkflowViewSetGroup)

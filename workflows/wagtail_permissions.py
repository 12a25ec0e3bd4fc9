"""Wagtail's page permissions for circulars, answered by the workflow's permission table."""

from wagtail.models import PagePermissionTester

from workflows import permissions
from workflows.states import CircularState


class CircularPermissionTester(PagePermissionTester):
    """Editing follows the table; publishing and unpublishing belong to the machine alone."""

    def can_edit(self):
        return self.user.is_active and permissions.can_edit(self.user, self.page)

    def can_publish(self):
        return False

    def can_unpublish(self):
        return False

    def can_unschedule(self):
        return False

    def can_submit_for_moderation(self):
        return False

    def can_delete(self, ignore_bulk=False):
        # A draft that never received a number may go; anything numbered stays on record.
        return (
            self.page.state == CircularState.DRAFT
            and not self.page.register_entries.exists()
            and self.can_edit()
        )

    def can_move(self):
        return False

    def can_copy(self):
        return (
            self.user.is_active
            and permissions.can_view(self.user, self.page)
            and bool(
                self.user.is_superuser
                or self.user.has_perm("wagtailcore.add_page")
                or super().can_copy()
            )
        )

    def can_view_revisions(self):
        return permissions.can_view(self.user, self.page) and super().can_view_revisions()

    def can_lock(self):
        return self.can_edit() and super().can_lock()

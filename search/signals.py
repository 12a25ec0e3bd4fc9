"""Every saved or deleted circular, and every workflow move, reaches the index."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver


def _reindex(pk: int) -> None:
    from cms.circulars.models import CircularPage
    from search.indexing import remove, update

    page = CircularPage.objects.filter(pk=pk).select_related("owner_unit").first()
    if page is None:
        remove([pk])
    else:
        update([page])


@receiver(post_save, sender="circulars.CircularPage")
def circular_saved(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_skip_search_index", False):
        return
    transaction.on_commit(lambda: _reindex(instance.pk))


@receiver(post_delete, sender="circulars.CircularPage")
def circular_deleted(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: _reindex(pk))


@receiver(post_save, sender="wagtailcore.Revision")
def revision_saved(sender, instance, raw=False, **kwargs):
    """Saving a draft in Wagtail's editor writes a revision, not the page: reindex the page."""
    from django.contrib.contenttypes.models import ContentType

    from cms.circulars.models import CircularPage

    if raw or instance.base_content_type_id is None:
        return
    if instance.content_type_id != ContentType.objects.get_for_model(CircularPage).pk:
        return
    pk = int(instance.object_id)
    transaction.on_commit(lambda: _reindex(pk))


def reindex_if_empty(sender, verbosity=1, **kwargs):
    """After `migrate`: a migration that rebuilt the embedded index's tables left it empty; fill
    it again so existing circulars stay searchable."""
    from django.db.utils import DatabaseError

    from cms.circulars.models import CircularPage
    from search.indexing import rebuild
    from search.service import embedded_backend

    backend = embedded_backend()
    try:
        if backend.count() or not CircularPage.objects.exists():
            return
    except DatabaseError:  # the index or the circulars are not migrated yet
        return
    indexed = rebuild(backend)
    if verbosity:
        print(f"search index rebuilt: {indexed} circulars")

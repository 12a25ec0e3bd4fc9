"""Private file storage for answers' uploads: ``settings.PRIVATE_MEDIA_ROOT`` (default
BASE_DIR/var/private), never under MEDIA_ROOT or MEDIA_URL. Files get random, unguessable names
and have no URL: they are served only by ``responses.views.download`` after
``services.can_read_response``.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT (read on every use)."""

    def __init__(self, **kwargs):
        super().__init__(base_url=None, **kwargs)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL; use responses.views.download")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return private_storage


def random_name(prefix: str = "responses") -> str:
    """responses/ab/<40 hex characters>: no trace of the original name or of who sent it."""
    token = secrets.token_hex(20)
    return f"{prefix}/{token[:2]}/{token}"


def response_file_name(instance, filename: str) -> str:
    return random_name("responses")

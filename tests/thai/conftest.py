"""Minimal Django settings so lazy messages can be rendered; the project's own settings win."""

from django.conf import settings

if not settings.configured:
    settings.configure(USE_I18N=False)

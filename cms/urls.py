from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from workflows import views as workflow_views
from workflows.feeds import LatestCircularsFeed
from workflows.sitemaps import PublicSitemap

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # /search/, /api/search/ and /api/search/suggest/ (before the workflow API's api/ prefix).
    path("", include("search.urls")),
    path("api/", include("workflows.api.urls")),
    # Response forms' extra endpoints (autosave, restore, receipt, files); the forms themselves
    # are Wagtail pages under /forms/.
    path("forms/", include("responses.urls")),
    path("circulars/feed/", LatestCircularsFeed(), name="circular-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    path(
        "receipts/circulars/<int:pk>/",
        workflow_views.acknowledge,
        name="circular-receipt",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

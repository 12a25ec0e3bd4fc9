"""Endpoints beside the form pages (which Wagtail serves under /forms/<slug>/)."""

from django.urls import path

from responses import views

app_name = "responses"

urlpatterns = [
    path("<int:form_id>/autosave/", views.autosave, name="autosave"),
    path("<int:form_id>/restore/<str:token>/", views.restore, name="restore"),
    path("<int:form_id>/receipt/", views.receipt, name="receipt"),
    path("responses/<int:pk>/", views.response_detail, name="response"),
    path("files/<uuid:file_uuid>/", views.download, name="file"),
]

"""Admin URLs of the staff tools, mounted at /admin/wian/forms/ (responses.wagtail_hooks)."""

from django.urls import path

from responses import admin_views as views

app_name = "wian_forms"

urlpatterns = [
    path("", views.form_list, name="index"),
    path("<int:form_id>/", views.dashboard, name="dashboard"),
    path("<int:form_id>/remind/", views.remind, name="remind"),
    path("<int:form_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:form_id>/export.csv", views.export_csv, name="export_csv"),
    path("<int:form_id>/responses/<int:response_id>/", views.response_view, name="response"),
]

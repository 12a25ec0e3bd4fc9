"""Admin URLs of the workflow, mounted at /admin/wian/ by the register_admin_urls hook."""

from django.urls import path

from workflows import admin_views as views

app_name = "wian_admin"

urlpatterns = [
    path("circulars/<int:page_id>/", views.circular_workflow, name="circular"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_read"),
    path("workflow/", views.workflow_overview, name="workflow"),
    path("workflow/diagram.svg", views.workflow_svg, name="workflow_svg"),
]

from django.urls import path

from workflows.api import views

app_name = "api"

urlpatterns = [
    path("circulars/", views.CircularListView.as_view(), name="circular-list"),
    path("circulars/<int:pk>/", views.CircularDetailView.as_view(), name="circular-detail"),
    path(
        "circulars/<int:pk>/transitions/<slug:name>/",
        views.TransitionView.as_view(),
        name="circular-transition",
    ),
]

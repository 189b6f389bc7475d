from django.urls import path

from . import views
from .views import people

app_name = "frontend"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/", people.unit_list, name="unit-list"),
    path("units/new/", people.unit_form, name="unit-create"),
    path("units/<int:pk>/", people.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", people.unit_form, name="unit-edit"),
    path("users/", people.user_list, name="user-list"),
    path("users/new/", people.user_form, name="user-create"),
    path("users/import/", people.user_import, name="user-import"),
    path("users/<int:pk>/edit/", people.user_form, name="user-edit"),
    path("users/<int:pk>/deactivate/", people.user_deactivate, name="user-deactivate"),
]

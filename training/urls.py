"""Training URLs outside the HTML screens: the calendar feed (its token is the
credential, no login) and the check-in links learners open from a QR code."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]

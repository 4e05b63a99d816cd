from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.index, name="index"),
    path("departures/", views.departures, name="departures"),
    path("departures/<int:pk>/exempt/", views.departure_exempt, name="departure_exempt"),
]

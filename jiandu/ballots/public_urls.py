"""Voters' pages, mounted at /vote/ (no login: access is by one-time code)."""

from django.urls import path

from . import public_views

app_name = "vote"

urlpatterns = [
    path("", public_views.enter, name="enter"),
    path("ballot/", public_views.ballot, name="ballot"),
    path("report/<uuid:public_id>/", public_views.report, name="report"),
    path("receipts/<uuid:public_id>/", public_views.receipts, name="receipts"),
]

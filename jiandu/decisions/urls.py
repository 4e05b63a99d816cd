from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes, name="meeting_minutes"),
    path("bodies/<int:body_pk>/record/", views.record_meeting, name="record_meeting"),
]

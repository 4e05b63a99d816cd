from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes, name="meeting_minutes"),
    path("bodies/<int:body_pk>/record/", views.record_meeting, name="record_meeting"),
]

# 阳光周志 (weekly logs) and the public's feedback: log_views.py
from . import log_views  # noqa: E402

urlpatterns += [
    path("logs/", log_views.logs_index, name="logs"),
    path("logs/write/", log_views.log_submit, name="log_submit"),
    path("logs/<int:pk>/", log_views.log_detail, name="log"),
    path("logs/<int:pk>/publish/", log_views.log_publish, name="log_publish"),
    path("logs/<int:pk>/return/", log_views.log_return, name="log_return"),
    path("logs/leaders/<int:cadre_pk>/profile/", log_views.leader_profile, name="leader_profile"),
    path("feedback/", log_views.feedback_queue, name="feedback"),
    path("feedback/<int:pk>/", log_views.feedback_detail, name="feedback_detail"),
]

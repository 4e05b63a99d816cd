from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.index, name="index"),
    path("bodies/", views.bodies, name="bodies"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes, name="meeting_minutes"),
    path("bodies/<int:body_pk>/record/", views.record_meeting, name="record_meeting"),
]

from . import register_views  # noqa: E402

urlpatterns += [
    path("bodies/new/", register_views.new_body, name="new_body"),
    path("registers/", register_views.registers, name="registers"),
    path("registers/new/", register_views.new_entry, name="new_register_entry"),
    path("registers/import/", register_views.import_entries, name="import_register"),
    path("registers/template.xlsx", register_views.registers_template, name="register_template"),
    path("registers/export.xlsx", register_views.registers_export, name="register_export"),
    path("registers/<int:pk>/", register_views.entry_detail, name="register_entry"),
    path("rules/", register_views.rules, name="rules"),
    path("violations/", register_views.violation_list, name="violations"),
    path("violations/hand-over/", register_views.hand_over, name="hand_over_violation"),
    path("tasks/", register_views.tasks, name="tasks"),
    path("tasks/new/", register_views.new_task, name="new_task"),
    path("tasks/<int:pk>/", register_views.task_detail, name="task"),
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
    path("feedback/<int:pk>/clue/", log_views.feedback_clue, name="feedback_clue"),
]

from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.index, name="index"),
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

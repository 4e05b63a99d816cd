from django.urls import path

from . import notification_views, todo_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", todo_views.todo_list, name="todo"),
    path("todo/open/", todo_views.todo_open, name="todo_open"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", notification_views.notification_open, name="notification_open"),
    path("notifications/read/", notification_views.notification_read_all, name="notifications_read"),
    path("notifications/address/", notification_views.notification_address, name="notification_address"),
    path("settings/", views.settings_list, name="settings"),
    path("settings/<str:key>/", views.settings_change, name="settings_change"),
    path("system/events/", views.events_list, name="events"),
    path("system/events/backfill/", views.events_backfill, name="events_backfill"),
    path("system/events/<int:pk>/retry/", views.events_retry, name="events_retry"),
    path("journal/", views.journal_search, name="journal_search"),
    path("journal/verify/", views.journal_verify, name="journal_verify"),
    path("journal/checkpoint/", views.journal_checkpoint, name="journal_checkpoint"),
    path("journal/<int:seq>/", views.journal_entry, name="journal_entry"),
]

"""The public portal, mounted at /portal/ (no login, read only: what is published is decided by
decisions.log_queries)."""

from django.urls import path

from . import feeds, views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("leaders/<int:pk>/feed/rss/", feeds.LeaderLogsRss(), name="leader_feed_rss"),
    path("leaders/<int:pk>/feed/atom/", feeds.LeaderLogsAtom(), name="leader_feed_atom"),
    path("weeks/", views.weeks, name="weeks"),
    path("weeks/<int:year>-<int:month>-<int:day>/", views.week, name="week"),
    path("logs/<int:pk>/", views.log, name="log"),
    path("search/", views.search, name="search"),
    path("rectification/", views.rectification, name="rectification"),
    path("feedback/", views.feedback, name="feedback"),
    path("language/", views.language, name="language"),
    path("feed/rss/", feeds.LogsRss(), name="feed_rss"),
    path("feed/atom/", feeds.LogsAtom(), name="feed_atom"),
]

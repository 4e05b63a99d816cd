"""RSS and Atom feeds of published weekly logs (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from jiandu.decisions import log_queries


class LogsRss(Feed):
    title = _("Weekly logs of the district leaders (阳光周志)")
    description = _("Published weekly logs: this week's work and next week's plan.")

    def link(self):
        return reverse("portal:index")

    def items(self):
        return log_queries.published_logs()[:50]

    def item_title(self, item):
        return _("%(name)s: week from %(start)s") % {"name": item.cadre.name, "start": item.week_start.isoformat()}

    def item_description(self, item):
        return _("%(this_week)s\n\nNext week: %(next_week)s") % {"this_week": item.this_week, "next_week": item.next_week}

    def item_link(self, item):
        return reverse("portal:log", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at


class LogsAtom(LogsRss):
    feed_type = Atom1Feed
    subtitle = LogsRss.description


class LeaderLogsRss(LogsRss):
    """One leader's published weekly logs (a subscription per leader, linked from their page).
    Unknown or non-public leaders are a 404, like their page."""

    def get_object(self, request, pk):
        person = log_queries.public_leader(pk)
        if person is None:
            raise Http404
        return person

    def title(self, obj):
        return _("Weekly logs of %(name)s (阳光周志)") % {"name": obj.name}

    def description(self, obj):
        return _("Published weekly logs of %(name)s: this week's work and next week's plan.") % {"name": obj.name}

    def link(self, obj):
        return reverse("portal:leader", args=[obj.id])

    def items(self, obj):
        return log_queries.published_logs().filter(cadre_id=obj.id)[:50]


class LeaderLogsAtom(LeaderLogsRss):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)

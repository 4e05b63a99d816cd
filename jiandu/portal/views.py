"""The public portal's pages (no login). Everything shown comes from decisions.log_queries, which
decides what is public: published weekly logs, the leaders' public profiles, published feedback.

Pages are cached whole (Django's cache framework) under a key that holds the published-content
version: publishing a log, a profile or a reply changes the version, so no page is stale after
a change and nothing is recomputed before one. Inside a page, fragments that do not depend on
that version are kept rendered in process (fragments.py: the leader page's log cards by log and
publish time, its header by a hash of the leader's public fields, the navigation by language and
path), so a page rebuilt after a publication reads the database but renders little. The feedback form is never cached (it carries a
CSRF token and a fresh challenge)."""

import datetime as dt
import functools
import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jiandu.core.errors import ActionError
from jiandu.core.middleware import client_ip
from jiandu.core.practice import get_setting
from jiandu.decisions import log_actions, log_queries
from jiandu.decisions.models import PublicFeedback

from . import fragments

CACHE_SECONDS = 600
BROWSER_SECONDS = 60
CHALLENGE_SALT = "jiandu.portal.feedback-challenge"
CHALLENGE_AGE = 3600


def cached_page(view):
    """Serve the page from the cache when the published content has not changed since."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        language = translation.get_language()
        key = f"portal:page:{log_queries.public_version()}:{language}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render"):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
        else:
            response = HttpResponse(hit[0], content_type=hit[1])
        response["Cache-Control"] = f"public, max-age={BROWSER_SECONDS}"
        response["Content-Language"] = language
        return response

    return wrapper


def render(request, template, context, status=200):
    """Render without the back office's context processors (navigation, messages, user): the
    portal's pages are the same for everyone, which keeps them cheap and cacheable."""
    context = {**context, "path": request.path}
    if request.method == "POST" or template == "portal/feedback.html":
        context["csrf_token"] = get_token(request)
    return HttpResponse(loader.render_to_string(template, context), status=status)


def _page(request, qs, per_page=20):
    number = request.GET.get("page", "1")
    return Paginator(qs, per_page).get_page(number if number.isdigit() and len(number) < 6 else 1)


@require_GET
@cached_page
def index(request):
    leaders = log_queries.public_leaders()
    latest = list(log_queries.published_logs()[:10])
    return render(request, "portal/index.html", {"title": _("District leaders"), "leaders": leaders, "latest": latest})


@require_GET
@cached_page
def leader(request, pk):
    data = log_queries.leader_page(pk)
    if data is None:
        raise Http404
    page = _page(request, data.logs)
    cards = log_cards(page.object_list)
    return render(
        request, "portal/leader.html", {"title": data.leader.name, "leader": data.leader, "page": page, "cards": cards, "head_version": data.leader.version}
    )


def log_cards(logs: list[tuple[int, str]]) -> str:
    """The rendered cards of these (id, published at) logs, kept in process (fragments.py). A
    published log never changes (log_actions refuses to edit it; publishing again gives a new
    timestamp), so its card is kept under its id and publish time and stays valid when other
    content is published; the cards of a whole page are kept together under the list of those
    keys. Missing cards are read in one query and rendered."""
    language = translation.get_language()
    keys = [("card", language, log_id, published) for log_id, published in logs]
    together = ("cards", *keys)
    html = fragments.get(together)
    if html is not None:
        return mark_safe(html)  # our own rendered template
    found = {key: fragments.get(key) for key in keys}
    missing = {log_id: key for (log_id, _published), key in zip(logs, keys, strict=True) if found[key] is None}
    if missing:
        for entry in log_queries.cards_of(missing):
            key = missing[entry.pk]
            found[key] = fragments.put(key, loader.render_to_string("portal/_log.html", {"log": entry, "show_name": False}))
    html = "".join(found[key] for key in keys if found[key] is not None)
    if all(found[key] is not None for key in keys):  # a log withdrawn meanwhile is left out, and the page not kept
        fragments.put(together, html)
    return mark_safe(html)  # our own rendered template


@require_GET
@cached_page
def weeks(request):
    rows = log_queries.published_logs().order_by().values_list("week_start", flat=True).distinct()
    weeks = sorted(set(rows), reverse=True)
    return render(request, "portal/weeks.html", {"title": _("Weekly logs by week"), "weeks": [(w, w + dt.timedelta(days=6)) for w in weeks]})


@require_GET
@cached_page
def week(request, year, month, day):
    try:
        start = dt.date(year, month, day)
    except ValueError:
        raise Http404 from None
    logs = list(log_queries.published_logs().filter(week_start=start))
    if not logs:
        raise Http404
    end = start + dt.timedelta(days=6)
    title = _("Weekly logs from %(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}
    return render(request, "portal/week.html", {"title": title, "logs": logs})


@require_GET
@cached_page
def log(request, pk):
    entry = log_queries.published_logs().filter(pk=pk).first()
    if entry is None:
        raise Http404
    end = entry.week_start + dt.timedelta(days=6)
    title = _("%(name)s: weekly log from %(start)s to %(end)s") % {"name": entry.cadre.name, "start": entry.week_start.isoformat(), "end": end.isoformat()}
    return render(request, "portal/log.html", {"title": title, "log": entry})


@require_GET
def search(request):
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]
    page = _page(request, log_queries.search_published(query)) if query else None
    response = render(request, "portal/search.html", {"title": _("Search the weekly logs"), "query": query, "page": page})
    response["Cache-Control"] = f"public, max-age={BROWSER_SECONDS}"
    return response


@require_GET
def rectification(request):
    """Published rectification summaries of inspection tours. Not kept under the weekly logs'
    published-content version (日常监督 publishes them), so read on each request, and kept by
    browsers for a minute only."""
    summaries = log_queries.published_rectification_summaries()
    response = render(request, "portal/rectification.html", {"title": _("Rectification after inspection tours"), "summaries": summaries})
    response["Cache-Control"] = f"public, max-age={BROWSER_SECONDS}"
    return response


@require_GET
def language(request):
    """Switch the portal's language (a link, so cached pages carry no CSRF token)."""
    code = request.GET.get("to", "")
    target = request.GET.get("next", "")
    if not (target.startswith("/portal/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
        target = reverse("portal:index")
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure())
    return response


# --- feedback ---------------------------------------------------------------------------------


def new_challenge() -> tuple[str, str]:
    """A small sum and its signed token (no server state until it is answered)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "n": secrets.token_hex(8)}, salt=CHALLENGE_SALT)
    return f"{a} + {b}", token


def challenge_problem(token: str, answer: str) -> str:
    """'' when the answer is right and the challenge was not used before, else the message."""
    try:
        data = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_AGE)
        expected = int(data["a"]) + int(data["b"])
        nonce = str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _("The check question has expired. Answer the new one.")
    if not answer.strip().isdigit() or int(answer.strip()[:6]) != expected:
        return _("The answer to the check question is wrong. Answer the new one.")
    if not cache.add(f"portal:challenge-used:{nonce}", 1, CHALLENGE_AGE):
        return _("The check question has expired. Answer the new one.")
    return ""


def _flooding(request) -> bool:
    """Count this attempt for the address; True when over the hourly limit."""
    key = f"portal:feedback-attempts:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > max(1, int(get_setting("decisions.weekly_log.feedback_per_hour")))


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PublicFeedback.Kind.choices, widget=forms.RadioSelect, initial=PublicFeedback.Kind.OPINION)
    leader = forms.TypedChoiceField(label=gettext_lazy("About the leader (optional)"), coerce=int, required=False, empty_value=None)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=100)
    body = forms.CharField(label=gettext_lazy("Message"), max_length=log_actions.TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}))
    contact = forms.CharField(
        label=gettext_lazy("Your contact (optional)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Leave empty to stay anonymous. It is seen by the office only, never published."),
    )
    answer = forms.CharField(label=gettext_lazy("Check question"), max_length=6)
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [("", "—")] + [(p.id, p.name) for p in leaders]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request):
    leaders = log_queries.public_leaders()
    status = 200
    sent = False
    refusal = ""
    form = FeedbackForm(request.POST or None, leaders=leaders)
    if request.method == "POST":
        if _flooding(request):
            form = FeedbackForm(leaders=leaders)
            refusal = _("Too many messages from your network address. Please try again in an hour.")
            status = 429
        elif form.is_valid():
            problem = challenge_problem(form.cleaned_data["token"], form.cleaned_data["answer"])
            if problem:
                form.add_error("answer", problem)
                status = 400
            else:
                data = form.cleaned_data
                person = None
                if data["leader"]:
                    from jiandu.registry.models import Cadre

                    ids = {p.id for p in leaders}
                    person = Cadre.objects.filter(pk=data["leader"]).first() if data["leader"] in ids else None
                try:
                    log_actions.submit_feedback(
                        actor=None, kind=data["kind"], subject=data["subject"], body=data["body"], contact=data["contact"], leader=person
                    )
                except ActionError as error:
                    form.add_error(None, error.message)
                    status = 400
                else:
                    sent = True
                    form = FeedbackForm(leaders=leaders)
        else:
            status = 400
    question, token = new_challenge()
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["token"] = token
        form.data["answer"] = ""
    else:
        form.initial["token"] = token
    published = _page(request, log_queries.published_feedback(), per_page=10)
    return render(
        request,
        "portal/feedback.html",
        {"title": _("Write to us"), "form": form, "question": question, "sent": sent, "refusal": refusal, "published": published},
        status=status,
    )

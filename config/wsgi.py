import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# Production does not serve without its own journal, ballot and field keys (jiandu/core/checks.py).
from jiandu.core.checks import require_production_keys  # noqa: E402 - needs the configured Django above

require_production_keys()

# The final submit of a ballot takes a short lane past the full request cycle (see its docstring).
from jiandu.ballots.lane import BallotLane  # noqa: E402 - needs the configured Django above

application = BallotLane(django_application)

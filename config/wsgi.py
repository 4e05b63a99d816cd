import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# The final submit of a ballot takes a short lane past the full request cycle (see its docstring).
from jiandu.ballots.lane import BallotLane  # noqa: E402 - needs the configured Django above

application = BallotLane(django_application)

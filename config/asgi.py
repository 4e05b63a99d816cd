import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

# Production does not serve without its own journal, ballot and field keys (jiandu/core/checks.py).
from jiandu.core.checks import require_production_keys  # noqa: E402 - needs the configured Django above

require_production_keys()

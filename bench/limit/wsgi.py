"""WSGI entry of the limit app (served by bench.common.server with QuickCare's command line)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.limit.settings"
application = get_wsgi_application()

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# What loading the portal created (modules, models, settings: most of a worker's objects) lives
# as long as the worker. Frozen, it is left out of the collector's full passes, which otherwise
# walk it every few requests (≈ 8 ms a request on a dashboard, p99 doubled under load); before
# a fork (gunicorn --preload) it also stays shared between the workers (Python's gc.freeze).
gc.freeze()

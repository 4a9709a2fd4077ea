"""WSGI entry point, used by `pracha serve` (gunicorn)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pracha.settings")
application = get_wsgi_application()

# Models can be imported only once Django is set up (the line above).
from pracha.intake.triage import preload  # noqa: E402

PRELOAD_VARIABLE = "PRACHA_PRELOAD"  # set by `pracha serve` (the same name there)

if os.environ.get(PRELOAD_VARIABLE) == "1":
    # In gunicorn's master, before the workers fork: they share the model's pages
    # copy-on-write instead of loading one copy each. Freezing the objects loaded so far keeps
    # the garbage collector from writing to (and so copying) those pages in every worker.
    preload()
    gc.freeze()

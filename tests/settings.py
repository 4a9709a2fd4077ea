"""Settings of the test run (pyproject's DJANGO_SETTINGS_MODULE): pracha.settings, read from the
environment as in production, with what every test needs instead:

- fast password hashing: officers get real passwords, and hashing them at full strength would
  dominate test time;
- intake rate limits per address and per API key off: tests file many reports from one
  address (tests/limits switches them back on with the `limits` fixture);
- reporter e-mails on commit, one per event (a test sets a batch window with
  `pracha(notify_batch_seconds=...)`);
- no triage on intake: new cases go to the default agency, untriaged, as the workflow tests
  expect (tests/triage and tests/intake switch it on).

One test changes them with the `settings` or `pracha(...)` fixtures. Subprocesses that run the
`pracha` command (tests/cli.py) use pracha.settings itself.
"""

from __future__ import annotations

import dataclasses

from pracha.settings import *  # noqa: F403
from pracha.settings import PRACHA as PRODUCTION

# tests/conftest.py refuses to run the suite under any other settings module.
PRACHA_TEST_SETTINGS = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PRACHA = dataclasses.replace(
    PRODUCTION,
    rate_reports_per_ip=None,
    rate_reports_per_key=None,
    rate_photos_per_ip=None,
    rate_photos_per_key=None,
    rate_metoo_per_ip=None,
    rate_metoo_per_key=None,
    notify_batch_seconds=0,
    triage_on_intake=False,
)

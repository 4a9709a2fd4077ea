"""Citizen accounts: one identity per person, reached through verified channels (e-mail now,
LINE next); passwordless sign-in codes, bearer tokens, notification settings and consents."""

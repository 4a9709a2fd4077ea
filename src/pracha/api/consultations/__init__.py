"""Consultations on the API: the public list, a consultation with its results after the
close, a citizen's response, the results as CSV, turnout, and the agency's actions.

- `GET /consultations?state=&agency=`: `{"items", "count"}`, drafts never listed;
- `GET /consultations/indicators`: turnout per consultation and per agency;
- `GET /consultations/{ref}`: texts, questions, `results` after the close, `changes` (or
  null), `changes_due_at`, `changes_overdue`; with a citizen's token, `my_response`;
- `POST /consultations/{ref}/response` (citizen): 201 first, 200 a change, 409 closed, 400
  `invalid_answers` with `reasons`;
- `GET /consultations/{ref}/results.csv`: after the close, UTF-8 with a BOM, nobody named;
- `POST /consultations`, `PATCH /consultations/{ref}`, `PUT .../questions`, `POST
  .../publish`, `.../close`, `.../changes`: officers of its agency (API key, or the back
  office's session); others 403.
"""

from pracha.api.consultations import (
    citizen,
    officer,
    public,  # first: its fixed paths before the patterns
)
from pracha.api.consultations.routes import router

__all__ = ["citizen", "officer", "public", "router"]

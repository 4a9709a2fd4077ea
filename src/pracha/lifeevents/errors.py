"""Life-event errors, as cases' domain errors so the API's one error format maps them:
unknown event, journey or step 404; a step not open to a submit 409 with the reason."""

from __future__ import annotations

from pracha.cases.errors import Conflict


class StepNotOpen(Conflict):
    """Submitted before its prerequisites, while not eligible, or a second time."""

    code = "step_not_open"

"""What life events announce, for the apps above them (pracha.notify writes the messages).

- `step_available(sender, step, journey)`: a step became open to the citizen after it was
  locked or not eligible (a prerequisite done, a new fact): proactive service.
- `step_reminder(sender, step, journey, stage, days)`: a step is coming due (`stage`
  "before-N", `days` N days left) or overdue ("overdue-N"), sent once per step and stage by
  `pracha life-events remind`. A receiver returns the channels it used (e.g. ["email"]); a
  LINE channel connects here the same way.
"""

from __future__ import annotations

from django.dispatch import Signal

step_available = Signal()
step_reminder = Signal()

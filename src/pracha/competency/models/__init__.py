"""The competency app's models: item banks and parameters, tests, sessions and responses."""

from pracha.competency.models.assessments import Assessment, ItemExposure, Subtest
from pracha.competency.models.bank import Calibration, Item, ItemBank, ItemParameters
from pracha.competency.models.sessions import Response, Session

__all__ = [
    "Assessment",
    "Calibration",
    "Item",
    "ItemBank",
    "ItemExposure",
    "ItemParameters",
    "Response",
    "Session",
    "Subtest",
]

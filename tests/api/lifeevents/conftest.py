from tests.lifeevents.support import life_events, registrar

__all__ = ["life_events", "registrar"]

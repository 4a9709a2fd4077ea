"""Consultations' services: officers manage (manage), citizens answer (respond), the close
(closing), results and turnout (results), a citizen's data (privacy)."""

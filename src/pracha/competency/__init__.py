"""Officers' competency tests: item banks, fixed (BKN-style) and adaptive (IRT) tests,
calibration of the items from the recorded responses, results and the public live board.

Subpackages by concern: `models/` (banks, tests, sessions), `irt/` (pure numpy: response
probabilities, information, EAP), `selection/` (fixed forms, adaptive item choice, stopping),
`services/` (check_*/do_* for sessions, scoring, the board), `bank/` (CSV import and the
shipped bank), `calibration/` (fitting with `mirt`, flags, parameter versions).
"""

"""`pracha cat calibrate`: item parameters fitted on officers' recorded answers.

The fitting is done by `mirt` (Python, MIT licence, a Rust core; maintained): marginal maximum
likelihood by EM for the 1PL (one common discrimination: the Rasch family), the 2PL and
Samejima's graded response model, observed-information (Oakes) standard errors, answers
missing by design (adaptive tests) handled as missing, and infit/outfit per item. Checked
before choosing it (numpy 2.4): `girth` 0.8 (unmaintained since 2021) fits Rasch and 2PL but
its 3PL crashes and it reports no standard errors; `catsim` selects items but calibrates none.
"""

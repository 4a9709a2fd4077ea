"""Photo evidence: perceptual hashes and capture facts of every stored photo, and the check of
each closing's after-photo (the before photo again, another case's photo, taken before the
report or far away). A flag asks a supervisor to look; it never refuses a closing."""

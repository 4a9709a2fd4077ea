"""Item banks from CSV (`pracha cat import FILE`) and the bank and tests Pracha ships
(`pracha cat seed`)."""

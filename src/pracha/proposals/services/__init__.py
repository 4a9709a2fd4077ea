"""Proposals' services: plain `check_*` / `do_*` functions; views and endpoints stay thin."""

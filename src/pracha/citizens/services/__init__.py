"""Citizen services: plain functions, `check_*` validates and `do_*` writes (Zulip style)."""

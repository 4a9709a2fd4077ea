"""What officers and supervisors do with tests: check_* validates, do_* writes (Zulip)."""

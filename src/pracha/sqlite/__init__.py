"""Django's SQLite backend, with writers queued on a kernel lock instead of SQLite's busy sleep."""

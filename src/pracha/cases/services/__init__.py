"""Case logic as plain functions: `check_*` validates without writing, `do_*` writes atomically."""

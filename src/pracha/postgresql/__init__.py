"""Django's PostgreSQL backend, with a cursor for statements PostgreSQL prepares once."""

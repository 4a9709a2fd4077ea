"""Background work on a task queue kept in the database (django-tasks with its database
backend): the tasks every app declares, their retries with backoff, the periodic jobs each app
schedules in code, and the worker that runs them on any node (`pracha worker`).

This package knows no app: apps declare their tasks and schedules in their own `tasks.py`
(imported from their AppConfig.ready), using `pracha.jobs.retry` and `pracha.jobs.schedule`.
"""

"""Background work: imports, analysis runs, report rendering and XLSForm processing.

The web process only records a job and enqueues a task (Django's task API, ``django-tasks``
with the database backend of ``django-tasks-db``); ``tilik worker`` processes take tasks from
the queue (row locks with SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite), and
each task runs its job in a fresh interpreter that the worker supervises (:mod:`.runner`).
"""

"""The inbox's periodic tasks, as data: a scheduler (cron, systemd timers or a
django-tasks scheduler) enqueues each task at its time (Europe/Copenhagen)."""

PERIODIC_TASKS = [
    {
        "task": "henvendelser.tasks.send_daily_summary",
        "cron": "0 7 * * *",  # every day at 07:00
        "description": "Daily summary of the inbox to the coordinator(s).",
    },
    {
        "task": "henvendelser.tasks.anonymise_closed_inquiries",
        "cron": "30 3 * * *",  # every night at 03:30
        "description": "Anonymise inquiries closed longer than HENVENDELSER_RETENTION_DAYS.",
    },
]

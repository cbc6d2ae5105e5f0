"""The inbox's periodic tasks; `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see frivillig_blocks/scheduling.py."""

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

"""The inbox's periodic tasks; `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see frivillig_blocks/scheduling.py. The retention of inquiries runs in
the nightly personal data task (``integration.expire_inquiries`` in the registry)."""

PERIODIC_TASKS = [
    {
        "task": "henvendelser.tasks.send_daily_summary",
        "cron": "0 7 * * *",  # every day at 07:00
        "description": "Daily summary of the inbox to the coordinator(s).",
    },
]

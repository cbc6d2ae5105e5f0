"""The loans app's periodic tasks; `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see frivillig_blocks/scheduling.py."""

PERIODIC_TASKS = [
    {
        "task": "booking.tasks.send_overdue_reminders",
        "cron": "0 9 * * *",  # every day at 09:00
        "description": "Remind borrowers whose equipment is overdue.",
    },
]

"""The calendar's periodic tasks; `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see frivillig_blocks/scheduling.py."""

PERIODIC_TASKS = [
    {
        "task": "kalender.tasks.refresh_due_subscriptions",
        # Every minute: the task picks the linked calendars whose last fetch is
        # KALENDER_SUBSCRIPTION_INTERVAL_MINUTES old (default 60), so the setting, not the
        # cron line, sets the rhythm (the scheduler's cron has no "every n minutes").
        "cron": "* * * * *",
        "description": "Fetches the associations' linked calendars that are due and imports "
        "their events (issue #23).",
    },
]

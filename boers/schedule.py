"""The exchange's periodic tasks; `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see frivillig_blocks/scheduling.py."""

PERIODIC_TASKS = [
    {
        "task": "boers.tasks.send_digests",
        "cron": "0 8 * * *",  # every day at 08:00 (weekly searches a week after the last)
        "description": "Digest mails of saved searches: new matching posts.",
    },
    {
        "task": "boers.tasks.send_expiry_reminders",
        "cron": "0 9 * * *",
        "description": "Remind authors BOERS_REMINDER_DAYS before a post expires (renew link).",
    },
    {
        "task": "boers.tasks.expire_posts",
        "cron": "15 0 * * *",
        "description": "Mark posts past their expiry as expired.",
    },
    {
        "task": "boers.tasks.refresh_search_statistics",
        "cron": "0 4 * * *",
        "description": "Refresh the query planner's statistics of posts and their words.",
    },
]

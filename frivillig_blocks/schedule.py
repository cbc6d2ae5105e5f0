"""The shared base's periodic tasks; `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see scheduling.py."""

PERIODIC_TASKS = [
    {
        "task": "frivillig_blocks.tasks.heartbeat",
        "cron": "* * * * *",  # every minute: /readyz sees the worker alive
        "description": "Proves to /readyz that a task worker is running.",
    },
    {
        "task": "frivillig_blocks.tasks.prune_operational_records",
        "cron": "15 4 * * *",  # every night at 04:15
        "description": "Deletes finished task results and periodic-run records older than 14 days, "
        "and the public forms' one-time submission keys older than 7 days.",
    },
    {
        "task": "frivillig_blocks.tasks.expire_personal_data",
        "cron": "30 3 * * *",  # every night at 03:30
        "description": "Deletes or anonymises personal data past its retention period "
        "(every source of the personal data registry).",
    },
    {
        "task": "frivillig_blocks.tasks.rebuild_search_vocabulary",
        "cron": "45 4 * * *",  # every night at 04:45
        "description": "Rebuilds the search's vocabulary from the index, so words no page or "
        "object holds any more are no longer suggested.",
    },
]

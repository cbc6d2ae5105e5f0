"""The prize's periodic tasks; `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see frivillig_blocks/scheduling.py."""

PERIODIC_TASKS = [
    {
        "task": "initiativpris.tasks.delete_voter_identifiers",
        "cron": "15 * * * *",  # every hour at :15, so identifiers go soon after the ceremony
        "description": "Delete voters' identifiers of rounds whose result is announced.",
    },
    {
        "task": "initiativpris.tasks.delete_unconfirmed_nominations",
        "cron": "40 3 * * *",
        "description": "Delete nominations nobody confirmed in time.",
    },
]

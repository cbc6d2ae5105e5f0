"""The courses' periodic tasks (retention runs in the personal data registry, see
integration.py); `manage.py run_scheduler` enqueues each at its time
(Europe/Copenhagen), see frivillig_blocks/scheduling.py."""

PERIODIC_TASKS = [
    {
        "task": "kurser.tasks.expire_offers",
        "cron": "5 * * * *",  # every hour; an accept link checks the time itself
        "description": "Offers of a freed seat unanswered after KURSER_OFFER_HOURS pass on.",
    },
    {
        "task": "kurser.tasks.send_session_reminders",
        "cron": "0 8 * * *",
        "description": "Reminder to the participants of sessions starting in two days.",
    },
    {
        "task": "kurser.tasks.send_evaluation_requests",
        "cron": "0 9 * * *",
        "description": "Evaluation form to the participants of sessions that have ended.",
    },
]

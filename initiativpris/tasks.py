"""Background work of the prize (django-tasks).

The prize has no periodic task of its own: deleting voters' identifiers after the result,
unconfirmed nominations and, after INITIATIVPRIS_RETENTION_DAYS, the nominators' and
nominees' addresses is retention, run by the personal data registry's nightly task
(integration.py's sources, frivillig_blocks.tasks.expire_personal_data)."""

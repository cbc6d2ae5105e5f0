"""The prize's periodic tasks: none of its own. Its retention (voters' identifiers after
the result, unconfirmed nominations, nominators' and nominees' addresses) runs in the
personal data registry's nightly task, see integration.py."""

PERIODIC_TASKS: list[dict] = []

"""Accounts: e-mail only, a code by mail, a password optional (django-allauth)."""


def person_name(user) -> str:
    """What we call a signed-in person where a name is needed (a borrower, a participant): the
    name on the account, else the e-mail address; never the username, which the person did
    not choose (docs/sprog.md: no usernames in greetings)."""
    return (user.get_full_name() or "").strip() or (user.email or "").strip()

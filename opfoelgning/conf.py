"""The follow-up's settings, each with its default. Read them as
``app_settings.FEEDBACK_RATE_LIMIT`` (the site's ``OPFOELGNING_FEEDBACK_RATE_LIMIT`` when set).

The feedback form's limit is an allauth rate (``accounts.limits.consume_with_default``): the
site's ``ACCOUNT_RATE_LIMITS["frivillig_feedback"]`` wins when it names one, and ``False``
as the site's ``ACCOUNT_RATE_LIMITS`` turns every limit off."""

from frivillig_blocks.appconf import AppSettings

app_settings = AppSettings(
    "OPFOELGNING_",
    {
        # Answers to "Fandt du det, du søgte?" from one address: ten a minute, sixty an hour.
        "FEEDBACK_RATE_LIMIT": "10/m/ip,60/h/ip",
    },
)

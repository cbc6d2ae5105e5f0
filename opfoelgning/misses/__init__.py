"""Searches that found nothing ("Søgninger uden resultat"): counted without personal data
and shown in the follow-up report."""

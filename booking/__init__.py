"""Loans of rooms and equipment under the manual's rules, decided by each institution's leader."""

"""Associations' own calendars flowing in (issue #23): an association links the iCalendar
address of the calendar it already keeps (Google, Microsoft 365, a club system), and a
periodic task fetches it, reads its dates and makes them calendar events of that
association, clash-checked like any other.

- ``feed``: the dates a feed gives, as the importer reads them (``FeedDate``).
- ``fetch``: fetching an address safely (only http/https, no internal networks, checked
  after DNS resolution and on every redirect; time-out, size limit, at most 3 redirects;
  conditional requests).
- ``parse``: a feed's body to ``FeedDate`` values (icalendar, recurrence expansion, the
  time zones real exporters write, descriptions cleaned with nh3).
- ``importer``: the dates of one fetch applied to the association's events (stable identity,
  update, move, cancel; the clash check; mails).
"""

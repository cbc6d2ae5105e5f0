"""Eksempel Kommune: a second municipality's site on the plugin set, with two of its apps
(the calendar and the courses). It installs the apps from the wheel, like any municipality
would, and names no one else (tests/eksempel/)."""

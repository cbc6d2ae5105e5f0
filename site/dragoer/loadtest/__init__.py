"""The load test's yardstick (deploy/loadtest.py): a bare Wagtail page, served by the same
gunicorn processes as the pages it measures. Installed only by dragoer.settings.loadtest."""

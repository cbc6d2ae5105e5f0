"""The reference site's demo: the content ``manage.py seed_demo`` puts in (one module per
app of the plugin set), the history behind the follow-up's figures and the benchmark's
baseline. None of it ships in the wheel: the apps know nothing about a demo."""

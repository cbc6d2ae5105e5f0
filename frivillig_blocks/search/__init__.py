"""Search across the site: pages and the shared snippets (associations, grants, ideas and
contact persons), with Wagtail's search backend. Mounted at /soeg/ by the site's urls."""

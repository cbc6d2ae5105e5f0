"""Date formats for the admin (``FORMAT_MODULE_PATH = ["frivillig_blocks.formats"]``).

The admin's date pickers write Danish dates (``WAGTAIL_DATE_FORMAT = "%d.%m.%Y"``,
``WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"``); Django's Danish locale reads them, and the
English one here reads them too, so staff who chose English in the admin can still save a
form the picker filled in."""

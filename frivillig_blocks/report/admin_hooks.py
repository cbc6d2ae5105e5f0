"""Admin registration of the follow-up report (imported by frivillig_blocks.wagtail_hooks)."""

"""Admin registration of feedback and theme meetings (imported by frivillig_blocks.wagtail_hooks)."""

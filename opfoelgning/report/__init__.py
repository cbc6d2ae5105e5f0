"""The council's follow-up report (admin), its exports and the public figures page."""

"""The initiative prize: nominations, jury, public vote and Frivillig Fredag."""

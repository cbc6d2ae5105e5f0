"""The exchange: needs and offers meet, with contact relayed through the site."""

"""The one mail address: inbound mail routed to named staff and handled in the admin."""

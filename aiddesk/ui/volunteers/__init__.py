"""The Volunteers screen: the roster with its filters, and the volunteer form."""

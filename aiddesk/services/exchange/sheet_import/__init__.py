"""Importing a foreign spreadsheet: the preview of its rows, the plan of what would be stored,
storing the approved rows, and the session the wizard and the command line drive."""

"""The Requests screen (the queue): filters, status chips, the table, the detail panel, status moves.
Its table model and texts also serve the person page and the Conflicts screen."""

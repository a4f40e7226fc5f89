"""Requests: the queue of the Requests screen (queue) and moving a request through its statuses
(status)."""

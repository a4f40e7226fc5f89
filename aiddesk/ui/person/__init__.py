"""A person's page (details, calls, requests, deliveries, erasure) and merging two people."""

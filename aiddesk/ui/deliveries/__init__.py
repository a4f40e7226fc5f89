"""The Deliveries screen: runs of a day, editing a run, recording each stop, printing route sheets."""

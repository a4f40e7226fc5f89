"""Printable reports and lists laid out by Qt: the period report, the call-back list, the packing list."""

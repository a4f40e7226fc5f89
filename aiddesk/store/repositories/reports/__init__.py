"""The queries of the reports, the overview and the printable lists."""

"""The Overview screen: today at a glance for the coordinator, the charts, the printable lists."""

"""The Settings screen: the desk's region, consent script, labels, vetting and exchange folder."""

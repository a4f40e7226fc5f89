"""Period reports, the overview's figures and the printable lists."""

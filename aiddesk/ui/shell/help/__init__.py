"""Help at hand: F1's short guide to the screen in front of the volunteer, and the printable
phone-desk cheat sheet (Help menu), both in the desk's current language."""

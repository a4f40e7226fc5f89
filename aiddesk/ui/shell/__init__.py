"""The window frame: the Qt application, the main window and its sidebar, one running instance per
desk, and the dialogs around a session (first run, who is at the desk, unexpected errors)."""

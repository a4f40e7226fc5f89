"""Qt only: application, main window, pages, table models, widgets, dialogs."""

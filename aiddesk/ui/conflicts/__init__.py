"""The Conflicts screen: fields desks changed concurrently, hand edits waiting (proposals), and
people who may be one person."""

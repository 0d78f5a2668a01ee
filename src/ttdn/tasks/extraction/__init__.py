"""Task extraction engine (pure Python): duties, assignees, deadlines, recurrence."""

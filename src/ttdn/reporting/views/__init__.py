"""Pages of reporting: the tracking table (tracking) and report forms with their submissions (submissions)."""

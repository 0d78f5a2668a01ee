"""Writes of reporting: the tracking table (tracking) and report submissions with their approval (submissions)."""

"""Notices (thông báo): what changed for a user, created by the services that change a state."""

"""Upstream callbacks: verify, store raw under a unique key, acknowledge, apply in a task."""

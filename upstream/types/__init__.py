"""Typed results of upstream calls. Each keeps the raw payload it was built from."""

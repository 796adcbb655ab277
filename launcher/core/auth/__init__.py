"""Signing in at the county identity provider and keeping every platform's credentials."""

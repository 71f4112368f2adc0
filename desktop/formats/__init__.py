"""Readers and writers of timeline files. Pure Python: no Qt here."""

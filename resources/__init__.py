"""Bundled data (timelines, the format schema, icons), installed as ``desktop.resources``."""

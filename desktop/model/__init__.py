"""The event model, dates and the range index. Pure Python: no Qt here."""

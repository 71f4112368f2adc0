"""Pure-Python layout for the visible window: time↔pixel scale, axis ticks, packing (no Qt)."""

"""Qt widgets: thin adapters over the pure model and layout."""

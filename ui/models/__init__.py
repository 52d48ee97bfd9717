"""Qt item models: thin adapters over what core services return."""

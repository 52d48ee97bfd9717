"""The timeline: dated records placed on one time axis, Qt-free (the UI only draws it)."""

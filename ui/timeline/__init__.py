"""The timeline dock: lanes of dated records on one zoomable time axis."""

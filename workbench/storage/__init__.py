"""Storage: the SQLite project file, its typed models and its migrations."""

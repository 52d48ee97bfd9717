"""Export writers: safe files for reports and other tools."""

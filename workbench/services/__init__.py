"""Services: one method per user action; each mutation commits, audits and returns a ChangeSet."""

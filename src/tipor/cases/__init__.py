"""Case files: parties, organisations, identifiers, timeline, payments, tasks, notes."""

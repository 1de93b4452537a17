"""Support tickets, as far as knowledge sees them: solutions suggested from their own text."""

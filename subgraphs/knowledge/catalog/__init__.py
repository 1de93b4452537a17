"""Products, their categories and features."""

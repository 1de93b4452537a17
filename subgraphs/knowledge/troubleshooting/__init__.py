"""Known issues and the solutions that resolve them."""

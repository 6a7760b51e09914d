"""Working together through a git server: sync, the server and pre-commit hooks, the merge
driver, and how git finds gktrack to run them."""

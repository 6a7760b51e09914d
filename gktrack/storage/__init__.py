"""Storage: plan files and units.yaml (read by the schema, edited line by line), the one cache
(index.sqlite), git, the crash journal and the lock, and the history read from git."""

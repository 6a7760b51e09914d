"""What users do with the plans, built on the domain and storage: the commands' operations, the
views (status, overdue, units), validation, editing, import, the report, exchange formats and
collaboration (sync, hooks, merge driver)."""

"""Exchange formats: exports (CSV/XLSX), the units' progress forms and the deadline calendar."""

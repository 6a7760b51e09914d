"""The domain: the schema (model), units and their names, deadlines and the one lateness rule,
the parts of a task, and who may change what. Pure rules over plain data: no files, no git,
no printing."""

"""The command line: the Typer app, argument parsing and rendering; it calls the library and
turns its typed errors into Chinese messages and exit codes."""

"""The operating system at arm's length: the sandboxed pandoc runner, deadlines."""

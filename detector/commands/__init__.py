"""One module per ``farmscan`` subcommand (see ``detector.cli``)."""

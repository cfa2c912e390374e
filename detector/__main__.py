from detector.cli import entry

entry()

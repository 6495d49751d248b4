"""The admin command line and other whole paths, end to end against the emulators."""

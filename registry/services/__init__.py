"""The command layer: use cases the command line, the web and the API call alike."""

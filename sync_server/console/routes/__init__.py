"""One module per console page (or group of pages); each route stays thin."""

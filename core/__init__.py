"""The shared kernel: configuration, database, people, permissions and the page frame."""

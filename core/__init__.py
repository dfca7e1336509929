"""The shared kernel: configuration, database, people, permissions, page frame."""

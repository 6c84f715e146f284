"""The performance benchmark: `make bench` (or `python -m bench --help`)."""

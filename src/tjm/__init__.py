"""Day-rate (TJM) pricing and benchmarking for freelancers."""

__version__ = "0.1.0"

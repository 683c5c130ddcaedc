"""htwork: a research workbench for human-trafficking case data in Southeast Asia."""

__version__ = "0.1.0"

__all__ = ["__version__"]

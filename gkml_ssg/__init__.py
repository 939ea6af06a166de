"""gkml: a static site generator for China's open-government disclosure catalogues."""

__version__ = "0.1.0"

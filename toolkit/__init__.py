"""Dutch→English translation and terminology toolkit.

Importing the package has no side effects: no folders, no settings, no model.
"""

__version__ = "0.1.0"

"""The curated glossary: its model and file format, matching in Dutch text, enforcement."""

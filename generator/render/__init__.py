"""Rendering: template sources behind one Protocol, and the atomic write into place."""

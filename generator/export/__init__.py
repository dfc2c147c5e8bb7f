"""Exports of scaffold to other tools (a Backstage Software Template)."""

"""Certificates of region counts and their independent verifier."""

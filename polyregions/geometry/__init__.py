"""Exact polyhedral geometry: polytopes, cutting, hyperplane restriction, measures, float filters."""

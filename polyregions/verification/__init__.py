"""Verification queries: exact decisions of VNN-LIB properties, and their proofs."""

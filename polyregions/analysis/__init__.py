"""Analyses of an enumerated region complex.

The region graph, linear regions, the decision boundary and genericity.
"""

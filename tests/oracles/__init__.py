"""Independent exact reference implementations (oracles) used only by the tests.

Nothing in this package imports :mod:`polyregions`; every oracle is a separate,
deliberately simple code path using exact rational arithmetic only.
"""
